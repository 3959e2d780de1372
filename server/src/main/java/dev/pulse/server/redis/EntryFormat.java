package dev.pulse.server.redis;

/**
 * Formats history entries, {@code "<epoch_seconds> <value>"}, as ASCII bytes ready for Redis. Each number is written
 * in the first of these forms that reads back as exactly the same double: an integer (the usual timestamp, many
 * values), a plain decimal with one to four fraction digits (most measured values: {@code 45.3}, {@code 0.05}),
 * else {@link Double#toString}. The first two are written digit by digit into a reused buffer, which spares the
 * writer the JDK's general double formatting for nearly every value. Not thread-safe: one per thread.
 */
final class EntryFormat {
    private static final int MAX_FRACTION_DIGITS = 4;
    private static final double[] POWERS = {1, 10, 100, 1_000, 10_000};


    private final byte[] buf = new byte[80]; // owned by the formatting thread
    private final byte[] timeText = new byte[24]; // the last timestamp formatted; owned by the formatting thread
    private int timeLength;                          // its length; owned by the formatting thread
    private long lastTime = Double.doubleToRawLongBits(Double.NaN); // its bits (no timestamp is NaN); ditto

    /** Formats the entry into {@link #buffer()}; returns its length. */
    int format(double epochSeconds, double value) {
        int n;
        if (Double.doubleToRawLongBits(epochSeconds) == lastTime) { // a batch's values mostly share their timestamps
            System.arraycopy(timeText, 0, buf, 0, timeLength);
            n = timeLength;
        } else {
            n = append(epochSeconds, 0);
            timeLength = n;
            System.arraycopy(buf, 0, timeText, 0, n);
            lastTime = Double.doubleToRawLongBits(epochSeconds);
        }
        buf[n++] = ' ';
        return append(value, n);
    }

    /** The bytes of the last {@link #format}; overwritten by the next. */
    byte[] buffer() {
        return buf;
    }

    private int append(double v, int at) {
        if (Math.abs(v) < 1e11) { // scaled by 10^4 it stays an exact integer in a double
            for (int k = 0; k <= MAX_FRACTION_DIGITS; k++) {
                double scaled = Math.rint(v * POWERS[k]);
                if (scaled / POWERS[k] == v) { // the decimal scaled * 10^-k reads back as v
                    return appendScaled((long) scaled, k, v < 0, at);
                }
            }
        } else if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return appendScaled((long) v, 0, v < 0, at);
        }
        String s = Double.toString(v);
        for (int i = 0; i < s.length(); i++) {
            buf[at++] = (byte) s.charAt(i);
        }
        return at;
    }

    /** Writes {@code scaled * 10^-fractionDigits}, with its sign, as a plain decimal. */
    private int appendScaled(long scaled, int fractionDigits, boolean negative, int at) {
        long x = Math.abs(scaled);
        if (negative && x != 0) {
            buf[at++] = '-';
        }
        int start = at;
        int digits = 0;
        do { // least significant digit first, then reversed
            if (digits == fractionDigits && fractionDigits > 0) {
                buf[at++] = '.';
            }
            buf[at++] = (byte) ('0' + x % 10);
            x /= 10;
            digits++;
        } while (x != 0 || digits <= fractionDigits);
        for (int i = start, j = at - 1; i < j; i++, j--) {
            byte t = buf[i];
            buf[i] = buf[j];
            buf[j] = t;
        }
        return at;
    }
}
