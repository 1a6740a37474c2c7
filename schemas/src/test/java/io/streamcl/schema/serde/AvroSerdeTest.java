package io.streamcl.schema.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamcl.schema.ImageEncoding;
import io.streamcl.schema.ImageItem;
import io.streamcl.schema.RawItem;
import io.streamcl.schema.SentenceItem;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.message.SchemaStore;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class AvroSerdeTest {

    private static RawItem image() {
        return RawItem.newBuilder().setId("a-1").setEventTime(java.time.Instant.ofEpochMilli(1000L))
                .setPayload(ImageItem.newBuilder().setWidth(2).setHeight(1).setChannels(1)
                        .setEncoding(ImageEncoding.RAW_U8).setBytes(ByteBuffer.wrap(new byte[] {1, 2})).build())
                .build();
    }

    @Test
    void shouldRoundTripEveryPayloadType() {
        AvroSerde<RawItem> serde = AvroSerde.of(RawItem.class);
        RawItem sentence = RawItem.newBuilder().setId("s").setEventTime(java.time.Instant.ofEpochMilli(5L))
                .setPayload(SentenceItem.newBuilder().setText("hello world").build())
                .setAttributes(Map.of("lang", "en")).build();
        assertThat(serde.decode(serde.encode(image()))).isEqualTo(image());
        assertThat(serde.decode(serde.encode(sentence))).isEqualTo(sentence);
    }

    @Test
    void shouldStartEveryRecordWithTheSingleObjectHeaderAndFingerprint() {
        byte[] bytes = AvroSerde.of(RawItem.class).encode(image());
        assertThat(bytes[0]).isEqualTo((byte) 0xC3);
        assertThat(bytes[1]).isEqualTo((byte) 0x01);
    }

    @Test
    void shouldRejectGarbageTruncatedAndUnknownFingerprints() {
        AvroSerde<RawItem> serde = AvroSerde.of(RawItem.class);
        byte[] good = serde.encode(image());
        assertThatThrownBy(() -> serde.decode("not avro".getBytes())).isInstanceOf(SerializationException.class);
        assertThatThrownBy(() -> serde.decode(java.util.Arrays.copyOf(good, 14)))
                .isInstanceOf(SerializationException.class);
        byte[] otherFingerprint = good.clone();
        otherFingerprint[5] ^= 0x55;
        assertThatThrownBy(() -> serde.decode(otherFingerprint)).isInstanceOf(SerializationException.class)
                .hasMessageContaining("RawItem");
    }

    /** An older producer that knew no attributes map: its records must still decode, with the default. */
    @Test
    void shouldReadRecordsOfAnOlderWriterSchemaInTheStore() throws Exception {
        Schema current = RawItem.getClassSchema();
        Schema older = withoutField(current, "attributes");
        GenericRecord old = new GenericData.Record(older);
        old.put("id", "old-1");
        old.put("eventTime", 7L);
        GenericRecord payload = new GenericData.Record(older.getField("payload").schema().getTypes().get(1));
        payload.put("text", "from v0");
        payload.put("language", null);
        old.put("payload", payload);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new BinaryMessageEncoder<GenericRecord>(GenericData.get(), older).encode(old, out);

        assertThatThrownBy(() -> AvroSerde.of(RawItem.class).decode(out.toByteArray()))
                .isInstanceOf(SerializationException.class);
        SchemaStore.Cache history = new SchemaStore.Cache();
        history.addSchema(older);
        RawItem decoded = new AvroSerde<>(RawItem.class, history).decode(out.toByteArray());
        assertThat(decoded.getId()).isEqualTo("old-1");
        assertThat(((SentenceItem) decoded.getPayload()).getText()).isEqualTo("from v0");
        assertThat(decoded.getAttributes()).isEmpty();
    }

    /** A newer producer that added an optional field: the current reader ignores it. */
    @Test
    void shouldReadRecordsOfANewerWriterSchemaInTheStore() throws Exception {
        Schema current = RawItem.getClassSchema();
        String json = current.toString().replaceFirst("\"fields\":\\[",
                "\"fields\":[{\"name\":\"source\",\"type\":[\"null\",\"string\"],\"default\":null},");
        Schema newer = new Schema.Parser().parse(json);
        GenericRecord rec = new GenericData.Record(newer);
        rec.put("source", "camera-7");
        rec.put("id", "new-1");
        rec.put("eventTime", 9L);
        GenericRecord payload = new GenericData.Record(newer.getField("payload").schema().getTypes().get(1));
        payload.put("text", "hi");
        payload.put("language", "en");
        rec.put("payload", payload);
        rec.put("attributes", Map.of());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new BinaryMessageEncoder<GenericRecord>(GenericData.get(), newer).encode(rec, out);
        SchemaStore.Cache store = new SchemaStore.Cache();
        store.addSchema(newer);
        RawItem decoded = new AvroSerde<>(RawItem.class, store).decode(out.toByteArray());
        assertThat(decoded.getId()).isEqualTo("new-1");
    }

    @Test
    void shouldLoadTheShippedHistoryIndex() {
        assertThat(WriterSchemas.shipped()).isNotNull();
    }

    private static Schema withoutField(Schema record, String dropped) {
        String json = record.toString();
        Schema parsed = new Schema.Parser().parse(json);
        java.util.List<Schema.Field> fields = new java.util.ArrayList<>();
        for (Schema.Field f : parsed.getFields()) {
            if (!f.name().equals(dropped)) {
                fields.add(new Schema.Field(f, f.schema()));
            }
        }
        return Schema.createRecord(parsed.getName(), parsed.getDoc(), parsed.getNamespace(), false, fields);
    }
}
