package dev.pulse.server.support;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** The HTTP replies an {@link EmbeddedChannel} of the server's pipeline has written, one string each. */
public final class Replies {
    private Replies() {
    }

    /** Takes and releases every outbound buffer; splits the text at each status line. */
    public static List<String> drain(EmbeddedChannel channel) {
        StringBuilder out = new StringBuilder();
        for (Object o; (o = channel.readOutbound()) != null; ) {
            ByteBuf b = (ByteBuf) o;
            out.append(b.toString(StandardCharsets.UTF_8));
            b.release();
        }
        List<String> replies = new ArrayList<>();
        for (String part : out.toString().split("(?=HTTP/1\\.1 \\d{3} )")) {
            if (!part.isEmpty()) {
                replies.add(part);
            }
        }
        return replies;
    }
}
