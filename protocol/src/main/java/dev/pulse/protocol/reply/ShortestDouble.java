/*
 * Copyright 2018-2020 Raffaello Giulietti
 *
 * Permission is hereby granted, free of charge, to any person obtaining a copy
 * of this software and associated documentation files (the "Software"), to deal
 * in the Software without restriction, including without limitation the rights
 * to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
 * copies of the Software, and to permit persons to whom the Software is
 * furnished to do so, subject to the following conditions:
 *
 * The above copyright notice and this permission notice shall be included in
 * all copies or substantial portions of the Software.
 *
 * THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
 * IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
 * FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
 * AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
 * LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
 * OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN
 * THE SOFTWARE.
 */

package dev.pulse.protocol.reply;

import static dev.pulse.protocol.reply.ShortestDoubleTable.flog10pow2;
import static dev.pulse.protocol.reply.ShortestDoubleTable.flog10threeQuartersPow2;
import static dev.pulse.protocol.reply.ShortestDoubleTable.flog2pow10;
import static dev.pulse.protocol.reply.ShortestDoubleTable.g0;
import static dev.pulse.protocol.reply.ShortestDoubleTable.g1;
import static dev.pulse.protocol.reply.ShortestDoubleTable.pow10;

/**
 * The shortest decimal that reads back as the same double, in the text {@code Double.toString} gives from Java 19
 * on ({@code 45.3}, {@code 0.00125}, {@code 1.0E-5}): Raffaello Giulietti's Schubfach algorithm, ported from his
 * MIT-licensed reference code (above) as jackson-core ships it, into a reused array instead of a new String. Java 17's
 * {@code Double.toString} takes about twice as long, and replies that list anomalies write five doubles each.
 * See "The Schubfach way to render doubles" (Giulietti) for the reasoning behind every constant.
 *
 * <p>Not thread-safe: one instance per writer.
 */
final class ShortestDouble {
    private static final int P = 53;             // bits of a double's significand
    private static final int W = 11;             // bits of its exponent
    private static final int Q_MIN = (-1 << W - 1) - P + 3;
    private static final long C_MIN = 1L << P - 1;
    private static final int BQ_MASK = (1 << W) - 1;
    private static final long T_MASK = (1L << P - 1) - 1;
    private static final long C_TINY = 3;
    private static final int H = 17;             // the most digits a double needs
    private static final long MASK_63 = (1L << 63) - 1;
    private static final int MASK_28 = (1 << 28) - 1;
    /** The longest text: {@code -d.ddddddddddddddddE-eee}. */
    static final int MAX_CHARS = H + 7;

    private final byte[] bytes = new byte[MAX_CHARS]; // owned by the writer's thread
    private int index;                                // owned by the writer's thread: the last byte written

    /** The bytes {@link #format} wrote. */
    byte[] bytes() {
        return bytes;
    }

    /** Writes finite, nonzero {@code v} into {@link #bytes()}, from 0; returns its length. */
    int format(double v) {
        long bits = Double.doubleToRawLongBits(v);
        long t = bits & T_MASK;
        int bq = (int) (bits >>> P - 1) & BQ_MASK;
        if (bq == BQ_MASK || bq == 0 && t == 0) {
            throw new IllegalArgumentException("not finite and nonzero: " + v);
        }
        index = -1;
        if (bits < 0) {
            append('-');
        }
        if (bq != 0) { // normal
            int mq = -Q_MIN + 1 - bq;
            long c = C_MIN | t;
            if (0 < mq & mq < P) { // an integer below 2^53
                long f = c >> mq;
                if (f << mq == c) {
                    toChars(f, 0);
                    return index + 1;
                }
            }
            toDecimal(-mq, c, 0);
        } else { // subnormal
            if (t < C_TINY) {
                toDecimal(Q_MIN, 10 * t, -1);
            } else {
                toDecimal(Q_MIN, t, 0);
            }
        }
        return index + 1;
    }

    /** The shortest decimal in the rounding interval of {@code c 2^q} (figure 4 of the paper). */
    private void toDecimal(int q, long c, int dk) {
        int out = (int) c & 0x1;
        long cb = c << 2;
        long cbr = cb + 2;
        long cbl;
        int k;
        if (c != C_MIN | q == Q_MIN) {
            cbl = cb - 2;
            k = flog10pow2(q);
        } else {
            cbl = cb - 1;
            k = flog10threeQuartersPow2(q);
        }
        int h = q + flog2pow10(-k) + 2;
        long g1 = g1(k);
        long g0 = g0(k);
        long vb = rop(g1, g0, cb << h);
        long vbl = rop(g1, g0, cbl << h);
        long vbr = rop(g1, g0, cbr << h);
        long s = vb >> 2;
        if (s >= 100) {
            long sp10 = 10 * Math.multiplyHigh(s, 115_292_150_460_684_698L << 4); // 10 floor(s / 10)
            long tp10 = sp10 + 10;
            boolean upin = vbl + out <= sp10 << 2;
            boolean wpin = (tp10 << 2) + out <= vbr;
            if (upin != wpin) {
                toChars(upin ? sp10 : tp10, k);
                return;
            }
        }
        long t = s + 1;
        boolean uin = vbl + out <= s << 2;
        boolean win = (t << 2) + out <= vbr;
        if (uin != win) {
            toChars(uin ? s : t, k + dk);
            return;
        }
        long cmp = vb - (s + t << 1); // both in the interval: the closer one, the even one on a tie
        toChars(cmp < 0 || cmp == 0 && (s & 0x1) == 0 ? s : t, k + dk);
    }

    /** Rounds {@code cp g 2^-127} to odd (section 9.10, figure 5). */
    private static long rop(long g1, long g0, long cp) {
        long x1 = Math.multiplyHigh(g0, cp);
        long y0 = g1 * cp;
        long y1 = Math.multiplyHigh(g1, cp);
        long z = (y0 >>> 1) + x1;
        long vbp = y1 + (z >>> 63);
        return vbp | (z & MASK_63) + MASK_63 >>> 63;
    }

    /** Writes the decimal {@code f 10^e}, plain for 10^-3 <= it < 10^7, else in scientific notation. */
    private void toChars(long f, int e) {
        int len = flog10pow2(Long.SIZE - Long.numberOfLeadingZeros(f));
        if (f >= pow10(len)) {
            len += 1;
        }
        f *= pow10(H - len); // now 10^16 <= f < 10^17 and the value is 0.f 10^e
        e += len;
        long hm = Math.multiplyHigh(f, 193_428_131_138_340_668L) >>> 20; // f / 10^8
        int l = (int) (f - 100_000_000L * hm);
        int h = (int) (hm * 1_441_151_881L >>> 57); // hm / 10^8
        int m = (int) (hm - 100_000_000 * h);
        if (0 < e && e <= 7) {
            plain(h, m, l, e);
        } else if (-3 < e && e <= 0) {
            leadingZeros(h, m, l, e);
        } else {
            scientific(h, m, l, e);
        }
    }

    private void plain(int h, int m, int l, int e) {
        appendDigit(h);
        int y = y(m);
        int t;
        int i = 1;
        for (; i < e; ++i) {
            t = 10 * y;
            appendDigit(t >>> 28);
            y = t & MASK_28;
        }
        append('.');
        for (; i <= 8; ++i) {
            t = 10 * y;
            appendDigit(t >>> 28);
            y = t & MASK_28;
        }
        lowDigits(l);
    }

    private void leadingZeros(int h, int m, int l, int e) {
        appendDigit(0);
        append('.');
        for (; e < 0; ++e) {
            appendDigit(0);
        }
        appendDigit(h);
        append8Digits(m);
        lowDigits(l);
    }

    private void scientific(int h, int m, int l, int e) {
        appendDigit(h);
        append('.');
        append8Digits(m);
        lowDigits(l);
        exponent(e - 1);
    }

    private void lowDigits(int l) {
        if (l != 0) {
            append8Digits(l);
        }
        while (bytes[index] == '0') { // trailing zeros go, but not the one right after the point
            --index;
        }
        if (bytes[index] == '.') {
            ++index;
        }
    }

    /** Eight digits of {@code m}, left to right, without division (Bouvier and Zimmermann, algorithm 1). */
    private void append8Digits(int m) {
        int y = y(m);
        for (int i = 0; i < 8; ++i) {
            int t = 10 * y;
            appendDigit(t >>> 28);
            y = t & MASK_28;
        }
    }

    private static int y(int a) {
        return (int) (Math.multiplyHigh((long) (a + 1) << 28, 193_428_131_138_340_668L) >>> 20) - 1;
    }

    private void exponent(int e) {
        append('E');
        if (e < 0) {
            append('-');
            e = -e;
        }
        if (e < 10) {
            appendDigit(e);
            return;
        }
        int d;
        if (e >= 100) {
            d = e * 1_311 >>> 17; // e / 100
            appendDigit(d);
            e -= 100 * d;
        }
        d = e * 103 >>> 10; // e / 10
        appendDigit(d);
        appendDigit(e - 10 * d);
    }

    private void append(int c) {
        bytes[++index] = (byte) c;
    }

    private void appendDigit(int d) {
        bytes[++index] = (byte) ('0' + d);
    }
}
