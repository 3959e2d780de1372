package dev.pulse.protocol.reply;

import io.netty.buffer.ByteBuf;

/**
 * Writes ASCII text into a buffer char by char. {@code ByteBufUtil.writeAscii} copies a String through a new
 * byte array first; on a scrape or a reply that is one allocation per piece of text, as large as the output.
 */
final class Ascii {
    private Ascii() {
    }

    static void write(ByteBuf out, CharSequence s) {
        int n = s.length();
        out.ensureWritable(n);
        int at = out.writerIndex();
        for (int i = 0; i < n; i++) {
            out.setByte(at + i, s.charAt(i));
        }
        out.writerIndex(at + n);
    }
}
