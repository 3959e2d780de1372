package dev.pulse.protocol.remote;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

class SnappyTest {

    static byte[] inflate(byte[] block) {
        long n = Snappy.declaredLength(block, 0, block.length);
        byte[] out = new byte[(int) n];
        String problem = Snappy.decompress(block, 0, block.length, out, (int) n);
        assertNull(problem);
        return out;
    }

    @Test
    void decodesWhatTheReferenceCompressorWrites() throws IOException {
        Random random = new Random(7);
        for (int size : new int[]{0, 1, 59, 60, 61, 255, 256, 65_535, 65_536, 70_000, 1 << 20}) {
            byte[] text = new byte[size];
            for (int i = 0; i < size; i++) { // runs, repeats at every distance, and noise: every tag type
                text[i] = (byte) (i % 3 == 0 ? random.nextInt(4) : i % 97 < 50 ? 'a' + i % 7 : random.nextInt());
            }
            byte[] block = org.xerial.snappy.Snappy.compress(text);
            assertEquals(size, Snappy.declaredLength(block, 0, block.length));
            assertArrayEquals(text, inflate(block), "size " + size);
        }
    }

    @Test
    void decodesLongOverlappingCopies() throws IOException {
        byte[] text = new byte[100_000];
        Arrays.fill(text, (byte) 'x');
        text[5] = 'y';
        assertArrayEquals(text, inflate(org.xerial.snappy.Snappy.compress(text)));
    }

    @Test
    void copiesEveryShortLengthAtEveryOffsetAndLeavesTheRestOfTheArrayAlone() {
        for (int literal = 1; literal <= 60; literal++) {
            for (int offset = 1; offset <= literal; offset++) {
                for (int n = 1; n <= 64; n++) {
                    byte[] expected = new byte[literal + n];
                    for (int i = 0; i < literal; i++) {
                        expected[i] = (byte) (i * 31 + 7);
                    }
                    for (int i = literal; i < expected.length; i++) {
                        expected[i] = expected[i - offset];
                    }
                    // a literal, then a copy with a two-byte offset: [length, tag, literal..., tag, offset lo, hi]
                    byte[] block = new byte[1 + 1 + literal + 3];
                    block[0] = (byte) expected.length;
                    block[1] = (byte) ((literal - 1) << 2);
                    System.arraycopy(expected, 0, block, 2, literal);
                    block[2 + literal] = (byte) (2 | ((n - 1) << 2));
                    block[3 + literal] = (byte) offset;
                    byte[] out = new byte[expected.length + 16];
                    Arrays.fill(out, (byte) 0x55);
                    assertNull(Snappy.decompress(block, 0, block.length, out, expected.length));
                    String what = "literal " + literal + ", offset " + offset + ", copy " + n;
                    assertArrayEquals(expected, Arrays.copyOf(out, expected.length), what);
                    for (int i = expected.length; i < out.length; i++) {
                        assertEquals((byte) 0x55, out[i], what + ": byte " + i + " past the declared length");
                    }
                }
            }
        }
    }

    @Test
    void refusesBlocksThatLie() {
        byte[] out = new byte[64];
        // declares 10, then a literal of 2: shorter than declared
        assertEquals("shorter than the declared length", Snappy.decompress(new byte[]{10, 1 << 2, 'a', 'b'}, 0, 4, out, 10));
        // declares 1, literal of 2
        assertEquals("literal past the declared length", Snappy.decompress(new byte[]{1, 1 << 2, 'a', 'b'}, 0, 4, out, 1));
        // literal of 3 with 2 bytes present
        assertEquals("truncated literal", Snappy.decompress(new byte[]{3, 2 << 2, 'a', 'b'}, 0, 4, out, 3));
        // a copy from offset 5 when 1 byte is written
        assertEquals("copy from before the start",
                Snappy.decompress(new byte[]{9, 0, 'a', 1 | (1 << 2), 5}, 0, 5, out, 9));
        // a copy with offset 0
        assertEquals("copy from before the start",
                Snappy.decompress(new byte[]{9, 0, 'a', 2 | (3 << 2), 0, 0}, 0, 6, out, 9));
        assertEquals("truncated copy", Snappy.decompress(new byte[]{9, 0, 'a', 3}, 0, 4, out, 9));
        assertNotNull(Snappy.decompress(new byte[]{5, (byte) 0xf0, 1}, 0, 3, out, 5));
    }

    @Test
    void readsTheDeclaredLengthWithoutTrustingIt() {
        assertEquals(0xffffffffL, Snappy.declaredLength(new byte[]{-1, -1, -1, -1, 0x0f}, 0, 5));
        assertEquals(Snappy.MALFORMED, Snappy.declaredLength(new byte[]{-1, -1, -1, -1, 0x1f}, 0, 5)); // 2^33
        assertEquals(Snappy.MALFORMED, Snappy.declaredLength(new byte[]{-1, -1, -1, -1, -1, 1}, 0, 6));
        assertEquals(Snappy.MALFORMED, Snappy.declaredLength(new byte[]{-1}, 0, 1));
        assertEquals(Snappy.MALFORMED, Snappy.declaredLength(new byte[0], 0, 0));
    }
}
