package dev.pulse.protocol.otlp;

import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;

/**
 * Writes {@code ExportMetricsServiceResponse} in protobuf or JSON. A request applied whole leaves
 * {@code partial_success} unset (an empty message: no bytes, or {@code {}}), as OTLP asks.
 */
public final class OtlpResponse {
    private OtlpResponse() {
    }

    public static void writeProto(ByteBuf out, long rejected, String errorMessage) {
        if (rejected == 0 && errorMessage.isEmpty()) {
            return;
        }
        byte[] text = errorMessage.getBytes(StandardCharsets.UTF_8);
        int inner = 0;
        if (rejected != 0) {
            inner += 1 + varintSize(rejected);
        }
        if (text.length > 0) {
            inner += 1 + varintSize(text.length) + text.length;
        }
        out.writeByte(1 << 3 | 2);
        writeVarint(out, inner);
        if (rejected != 0) {
            out.writeByte(1 << 3);
            writeVarint(out, rejected);
        }
        if (text.length > 0) {
            out.writeByte(2 << 3 | 2);
            writeVarint(out, text.length);
            out.writeBytes(text);
        }
    }

    public static String json(long rejected, String errorMessage) {
        if (rejected == 0 && errorMessage.isEmpty()) {
            return "{}";
        }
        StringBuilder s = new StringBuilder(64 + errorMessage.length());
        s.append("{\"partialSuccess\":{\"rejectedDataPoints\":\"").append(rejected).append("\",\"errorMessage\":\"");
        for (int i = 0; i < errorMessage.length(); i++) {
            char c = errorMessage.charAt(i);
            if (c == '"' || c == '\\') {
                s.append('\\').append(c);
            } else if (c < 0x20) {
                s.append(String.format("\\u%04x", (int) c));
            } else {
                s.append(c);
            }
        }
        return s.append("\"}}").toString();
    }

    private static int varintSize(long v) {
        int n = 1;
        while ((v & ~0x7fL) != 0) {
            v >>>= 7;
            n++;
        }
        return n;
    }

    private static void writeVarint(ByteBuf out, long v) {
        while ((v & ~0x7fL) != 0) {
            out.writeByte((int) ((v & 0x7f) | 0x80));
            v >>>= 7;
        }
        out.writeByte((int) v);
    }
}
