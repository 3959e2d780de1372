package dev.pulse.protocol.remote;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.pulse.protocol.labelled.BatchInvariants;
import dev.pulse.protocol.labelled.Batches;
import dev.pulse.protocol.labelled.DecodeResult;
import dev.pulse.protocol.labelled.LabelledBatch;

import java.io.IOException;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Coverage-guided fuzzing of the remote-write decoder (Jazzer). Under {@code make test} it replays the seeds in
 * {@code RemoteWriteDecoderFuzzTestInputs/}; {@code make fuzz} explores. Each input is read three ways: as an
 * uncompressed {@code WriteRequest}, as that message snappy-compressed by the reference compressor (which must
 * decode the same), and as a snappy body itself. Nothing may escape as an exception, and every batch keeps the
 * invariants of {@link BatchInvariants}.
 */
class RemoteWriteDecoderFuzzTest {
    private final RemoteWriteDecoder decoder = new RemoteWriteDecoder(new LabelledBatch(), 1 << 20);

    @FuzzTest(maxDuration = "60s")
    void decodesWithoutEscapingExceptions(byte[] data) throws IOException {
        DecodeResult plain = decoder.decodeMessage(data, 0, data.length);
        BatchInvariants.check(plain, decoder.batch());
        String expected = plain == DecodeResult.OK ? Batches.describe(decoder.batch()) : plain.name();

        byte[] compressed = org.xerial.snappy.Snappy.compress(data);
        DecodeResult viaSnappy = decoder.decode(compressed, 0, compressed.length);
        assertEquals(expected, viaSnappy == DecodeResult.OK ? Batches.describe(decoder.batch()) : viaSnappy.name());

        BatchInvariants.check(decoder.decode(data, 0, data.length), decoder.batch());
    }
}
