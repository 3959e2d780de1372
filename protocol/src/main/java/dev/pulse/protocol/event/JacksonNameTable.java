package dev.pulse.protocol.event;

/**
 * Where jackson's table of field names takes one name for another. The table is shared by every parser of a
 * {@code JsonFactory}, so by every request of the process, and pads the last four bytes of a name with 0xFF: once a
 * body held {@code "pu"}, a later name {@code "\xFFpu"} was found as {@code "pu"} and taken without its invalid
 * UTF-8 being seen (jackson-core 2.18, blocking and non-blocking parsers alike). 0xFF is never valid UTF-8, so a
 * decoder refuses it before jackson reads it. Stateless.
 */
public final class JacksonNameTable {
    private JacksonNameTable() {
    }

    /** The index of the first 0xFF byte of {@code b[from, to)}, or -1. */
    public static int firstFF(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] == (byte) 0xFF) {
                return i;
            }
        }
        return -1;
    }
}
