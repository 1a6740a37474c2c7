package io.streamcl.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamcl.schema.ImageEncoding;
import io.streamcl.schema.ImageItem;
import io.streamcl.schema.RawItem;
import java.io.ByteArrayOutputStream;
import java.time.Instant;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.junit.jupiter.api.Test;

class RawItemsTest {

    @Test
    void shouldBuildImageRawItemWithEmptyAttributes() throws Exception {
        ImageItem image = RawItems.rawU8(2, 1, 3, new byte[6]);
        assertThat(image.getEncoding()).isEqualTo(ImageEncoding.RAW_U8);
        assertThat(image.getWidth()).isEqualTo(2);
        assertThat(image.getHeight()).isEqualTo(1);
        assertThat(image.getChannels()).isEqualTo(3);
        assertThat(image.getBytes().remaining()).isEqualTo(6);

        RawItem item = RawItems.image("img-1", 1_700_000_000_123L, image);
        assertThat(item.getId()).isEqualTo("img-1");
        assertThat(item.getEventTime()).isEqualTo(Instant.ofEpochMilli(1_700_000_000_123L));
        assertThat(item.getPayload()).isSameAs(image);
        assertThat(item.getAttributes()).isEmpty();

        // serialisable as is
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder enc = EncoderFactory.get().binaryEncoder(out, null);
        new SpecificDatumWriter<>(RawItem.class).write(item, enc);
        enc.flush();
        assertThat(out.size()).isGreaterThan(6);
    }
}
