package dev.pulse.protocol.event;

/**
 * Finds an object closed right after a comma ({@code {"cpu":1,}}) in the bytes handed to jackson, chunk by chunk.
 * Jackson's non-blocking parser refuses that comma only when it and the {@code '}'} arrive in the same feed
 * (jackson-core 2.18): split between two chunks, the object was accepted, so a body's verdict hung on where the
 * network cut it. Strings and their escapes are followed, so a {@code ",}"} inside a string passes. Arrays need no
 * help: jackson refuses {@code [1,]} at every split. One pass over bytes that jackson reads anyway.
 *
 * <p>Not thread-safe: owned, like its decoder, by the connection's event loop.
 */
final class TrailingComma {
    // All fields: owned by the connection's event loop.
    private boolean inString;
    private boolean escaped;     // inside a string, after a backslash
    private boolean afterComma;  // the last byte outside strings, white space aside, was a comma
    private long seen;           // bytes looked at since reset

    /** Starts over, before jackson's first byte. */
    void reset() {
        inString = false;
        escaped = false;
        afterComma = false;
        seen = 0;
    }

    /**
     * Looks at {@code b[from, to)}, the next bytes jackson gets. Returns the index of a {@code '}'} that follows a
     * comma, or -1 when there is none (then every byte is counted as seen).
     */
    int find(byte[] b, int from, int to) {
        boolean string = inString;
        boolean escape = escaped;
        boolean comma = afterComma;
        for (int i = from; i < to; i++) {
            byte c = b[i];
            if (string) {
                if (escape) {
                    escape = false;
                } else if (c == '\\') {
                    escape = true;
                } else if (c == '"') {
                    string = false;
                }
            } else if (c == '"') {
                string = true;
                comma = false;
            } else if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
                if (c == '}' && comma) {
                    seen += i - from;
                    return i;
                }
                comma = c == ',';
            }
        }
        inString = string;
        escaped = escape;
        afterComma = comma;
        seen += to - from;
        return -1;
    }

    /** Bytes looked at since reset: after a hit, the position of its {@code '}'} in jackson's input. */
    long seen() {
        return seen;
    }
}
