package dev.pulse.protocol.remote;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.pulse.protocol.labelled.BatchInvariants;
import dev.pulse.protocol.labelled.Batches;
import dev.pulse.protocol.labelled.DecodeResult;
import dev.pulse.protocol.labelled.LabelledBatch;

import java.io.IOException;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Coverage-guided fuzzing of the remote-write decoder (Jazzer). Under {@code make test} it replays the seeds in
 * {@code RemoteWriteDecoderFuzzTestInputs/}; {@code make fuzz} explores. Each input is read three ways: as an
 * uncompressed {@code WriteRequest}, as that message snappy-compressed by the reference compressor (which must
 * decode the same), and as a snappy body itself. The uncompressed message is also read with every series field by
 * field, which must give the same series with the same identities as the one-pass reader of the usual series.
 * Nothing may escape as an exception, and every batch keeps the invariants of {@link BatchInvariants}.
 */
class RemoteWriteDecoderFuzzTest {
    private final RemoteWriteDecoder decoder = new RemoteWriteDecoder(new LabelledBatch(), 1 << 20);
    private final RemoteWriteDecoder fieldByField = new RemoteWriteDecoder(new LabelledBatch(), 1 << 20, false);

    @FuzzTest(maxDuration = "60s")
    void decodesWithoutEscapingExceptions(byte[] data) throws IOException {
        DecodeResult plain = decoder.decodeMessage(data, 0, data.length);
        BatchInvariants.check(plain, decoder.batch());
        String expected = plain == DecodeResult.OK ? Batches.describe(decoder.batch()) : plain.name();
        sameAsFieldByField(data, plain);

        byte[] compressed = org.xerial.snappy.Snappy.compress(data);
        DecodeResult viaSnappy = decoder.decode(compressed, 0, compressed.length);
        assertEquals(expected, viaSnappy == DecodeResult.OK ? Batches.describe(decoder.batch()) : viaSnappy.name());

        BatchInvariants.check(decoder.decode(data, 0, data.length), decoder.batch());
    }

    /** The one-pass reader of the usual series must decode exactly what the field-by-field reader does. */
    private void sameAsFieldByField(byte[] data, DecodeResult onePass) {
        DecodeResult r = fieldByField.decodeMessage(data, 0, data.length);
        assertEquals(r, onePass);
        LabelledBatch a = decoder.batch();
        LabelledBatch b = fieldByField.batch();
        if (r == DecodeResult.OK) {
            assertEquals(Batches.describe(b), Batches.describe(a));
            for (int s = 0; s < a.seriesCount(); s++) {
                assertArrayEquals(b.key(s), a.key(s), "series " + s + " has the same identity");
                assertEquals(b.keyHash(s), a.keyHash(s));
            }
        }
    }
}
