package dev.pulse.protocol.otlp;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.pulse.protocol.labelled.BatchInvariants;
import dev.pulse.protocol.labelled.LabelledBatch;

/**
 * Coverage-guided fuzzing of the OTLP decoders (Jazzer). Under {@code make test} it replays the seeds in
 * {@code OtlpDecoderFuzzTestInputs/}; {@code make fuzz} explores. Each input is read as protobuf, as JSON and as
 * a gzip body: nothing may escape as an exception, and every batch keeps the invariants of {@link BatchInvariants}.
 */
class OtlpDecoderFuzzTest {
    private static final java.util.List<String> SOURCE_ATTRIBUTES = java.util.List.of("service.instance.id", "host.name", "service.name");

    private final LabelledBatch batch = new LabelledBatch();
    private final OtlpProtoDecoder proto = new OtlpProtoDecoder(batch, SOURCE_ATTRIBUTES);
    private final OtlpJsonDecoder json = new OtlpJsonDecoder(batch, SOURCE_ATTRIBUTES);
    private final Gunzip gunzip = new Gunzip(1 << 20);

    @FuzzTest(maxDuration = "60s")
    void decodesWithoutEscapingExceptions(byte[] data) {
        BatchInvariants.check(proto.decode(data, 0, data.length), batch);
        BatchInvariants.check(json.decode(data, 0, data.length), batch);
        int n = gunzip.inflate(data, 0, data.length);
        if (n >= 0) {
            BatchInvariants.check(proto.decode(gunzip.output(), 0, n), batch);
        }
    }
}
