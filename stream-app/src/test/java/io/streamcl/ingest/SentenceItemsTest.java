package io.streamcl.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamcl.schema.RawItem;
import io.streamcl.schema.SentenceItem;
import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.junit.jupiter.api.Test;

class SentenceItemsTest {

    @Test
    void shouldBuildSentenceRawItemThatRoundTripsThroughAvro() throws Exception {
        Map<String, String> attributes = new HashMap<>(Map.of("genre", "news"));
        RawItem item = SentenceItems.rawItem("s-1", 1_700_000_000_123L, "Привет, мир", attributes);
        attributes.put("genre", "changed later");

        assertThat(item.getId()).isEqualTo("s-1");
        assertThat(item.getEventTime()).isEqualTo(Instant.ofEpochMilli(1_700_000_000_123L));
        assertThat(item.getPayload()).isInstanceOf(SentenceItem.class);
        assertThat(((SentenceItem) item.getPayload()).getText()).isEqualTo("Привет, мир");
        assertThat(((SentenceItem) item.getPayload()).getLanguage()).isNull();
        assertThat(item.getAttributes()).containsExactly(Map.entry("genre", "news"));

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder enc = EncoderFactory.get().binaryEncoder(out, null);
        new SpecificDatumWriter<>(RawItem.class).write(item, enc);
        enc.flush();
        RawItem back = new SpecificDatumReader<>(RawItem.class)
                .read(null, DecoderFactory.get().binaryDecoder(out.toByteArray(), null));
        assertThat(back).isEqualTo(item);
    }

    @Test
    void shouldTreatNullAttributesAsNone() {
        assertThat(SentenceItems.rawItem("s-2", 0, "a", null).getAttributes()).isEmpty();
    }
}
