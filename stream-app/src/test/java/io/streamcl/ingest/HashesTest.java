package io.streamcl.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HashesTest {

    @Test
    void shouldBeTheStandardFnv1aOnAsciiText() {
        // published FNV-1a 64 test vectors: "" is the offset basis, "a" and "foobar" as in the reference tables
        assertThat(Hashes.fnv1a("")).isEqualTo(0xCBF29CE484222325L);
        assertThat(Hashes.fnv1a("a")).isEqualTo(0xAF63DC4C8601EC8CL);
        assertThat(Hashes.fnv1aUtf8("foobar")).isEqualTo(0x85944171F73967E8L);
        assertThat(Hashes.fnv1a("foobar")).isEqualTo(Hashes.fnv1aUtf8("foobar"));
    }

    @Test
    void shouldHashUtf8BytesAndUtf16CharsDifferentlyBeyondAscii() {
        assertThat(Hashes.fnv1aUtf8("é")).isNotEqualTo(Hashes.fnv1a("é"));
    }

    @Test
    void shouldTellOrderAndLengthApart() {
        assertThat(Hashes.hash64("ab")).isNotEqualTo(Hashes.hash64("ba"));
        assertThat(Hashes.hash64("")).isNotEqualTo(Hashes.hash64("\0"));
    }

    @Test
    void shouldMixWithoutLosingValues() {
        assertThat(Hashes.mix64(0)).isZero(); // the finaliser's fixed point
        assertThat(Hashes.mix64(1)).isNotEqualTo(Hashes.mix64(2));
        assertThat(Long.bitCount(Hashes.mix64(1))).isBetween(16, 48); // one input bit spreads over many
    }
}
