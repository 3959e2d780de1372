package dev.pulse.protocol.reply;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;

/**
 * Writes the Prometheus text exposition format 0.0.4 straight into a {@link ByteBuf}: one {@code # HELP} and
 * {@code # TYPE} header per family, then samples. Label values are escaped as the format demands
 * ({@code \\}, {@code \"}, {@code \n}); numbers are formatted without a String,
 * doubles as the shortest decimal that reads back ({@link ShortestDouble}).
 *
 * <p>Not thread-safe: one instance per scrape or per event loop.
 */
public final class PrometheusTextWriter {
    private final ShortestDouble shortest = new ShortestDouble(); // owned by the calling thread
    private final byte[] number = new byte[20];                   // owned by the calling thread: an integer's digits
    private ByteBuf out; // owned by the calling thread, set per scrape

    public PrometheusTextWriter target(ByteBuf out) {
        this.out = out;
        return this;
    }

    /** Writes the family header; {@code type} is counter, gauge, histogram, summary or untyped. */
    public PrometheusTextWriter family(String name, String type, String help) {
        Ascii.write(out, "# HELP ");
        Ascii.write(out, name);
        out.writeByte(' ');
        writeHelp(help);
        out.writeByte('\n');
        Ascii.write(out, "# TYPE ");
        Ascii.write(out, name);
        out.writeByte(' ');
        Ascii.write(out, type);
        out.writeByte('\n');
        return this;
    }

    /** Starts a sample line: the name and an opening brace if labels follow. */
    public PrometheusTextWriter sample(String name) {
        Ascii.write(out, name);
        return this;
    }

    /** Adds a label; the first call opens the braces, {@link #value} closes them. */
    public PrometheusTextWriter label(boolean first, String label, CharSequence value) {
        out.writeByte(first ? '{' : ',');
        Ascii.write(out, label);
        out.writeByte('=').writeByte('"');
        writeLabelValue(value);
        out.writeByte('"');
        return this;
    }

    /** Ends the sample with its value; {@code labelled} says whether braces were opened. */
    public PrometheusTextWriter value(boolean labelled, double v) {
        endLabels(labelled);
        writeDouble(v);
        out.writeByte('\n');
        return this;
    }

    public PrometheusTextWriter value(boolean labelled, long v) {
        endLabels(labelled);
        writeLong(v);
        out.writeByte('\n');
        return this;
    }

    /** Closes the braces if labels were written, then the space before the value. */
    private void endLabels(boolean labelled) {
        if (labelled) {
            out.writeByte('}');
        }
        out.writeByte(' ');
    }

    /** A sample without labels. */
    public PrometheusTextWriter unlabelled(String name, double v) {
        return sample(name).value(false, v);
    }

    public PrometheusTextWriter unlabelled(String name, long v) {
        return sample(name).value(false, v);
    }

    /** A whole family of one unlabelled sample: its header, then the sample. */
    public PrometheusTextWriter single(String name, String type, String help, long v) {
        return family(name, type, help).unlabelled(name, v);
    }

    private void writeLong(long v) {
        out.writeBytes(number, 0, JsonWriter.digits(number, 0, v));
    }

    private void writeDouble(double v) {
        if (Double.isNaN(v)) {
            Ascii.write(out, "NaN");
        } else if (v == Double.POSITIVE_INFINITY) {
            Ascii.write(out, "+Inf");
        } else if (v == Double.NEGATIVE_INFINITY) {
            Ascii.write(out, "-Inf");
        } else if (v == (long) v && Math.abs(v) < 1e15) {
            writeLong((long) v);
        } else {
            out.writeBytes(shortest.bytes(), 0, shortest.format(v));
        }
    }

    private void writeLabelValue(CharSequence value) {
        for (int i = 0, n = value.length(); i < n; i++) {
            char c = value.charAt(i);
            if (c == '\\' || c == '"') {
                out.writeByte('\\').writeByte(c);
            } else if (c == '\n') {
                out.writeByte('\\').writeByte('n');
            } else if (c < 0x80) {
                out.writeByte(c);
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(value.charAt(i + 1))) {
                ByteBufUtil.writeUtf8(out, value, i, i + 2); // one character past U+FFFF: its pair together
                i++;
            } else {
                ByteBufUtil.writeUtf8(out, value, i, i + 1);
            }
        }
    }

    private void writeHelp(String help) {
        for (int i = 0; i < help.length(); i++) {
            char c = help.charAt(i);
            if (c == '\\') {
                out.writeByte('\\').writeByte('\\');
            } else if (c == '\n') {
                out.writeByte('\\').writeByte('n');
            } else {
                out.writeByte(c);
            }
        }
    }
}
