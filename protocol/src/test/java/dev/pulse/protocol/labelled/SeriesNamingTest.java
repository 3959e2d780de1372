package dev.pulse.protocol.labelled;

import dev.pulse.protocol.remote.RemoteWriteDecoder;
import dev.pulse.protocol.remote.WriteRequestWriter;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SeriesNamingTest {
    private final SeriesNaming naming = new SeriesNaming(List.of("instance", "job"),
            List.of("service.instance.id", "host.name", "service.name"));

    /** Names the first series of a one-series remote-write request: {@code source metric}, or {@code bad}. */
    private String name(String... labels) throws IOException {
        RemoteWriteDecoder d = new RemoteWriteDecoder(new LabelledBatch(), 1 << 20);
        byte[] body = org.xerial.snappy.Snappy.compress(
                new WriteRequestWriter().series(labels, new long[]{1}, new double[]{1}).toByteArray());
        d.decode(body, 0, body.length);
        if (d.batch().seriesCount() == 0) {
            return "skipped";
        }
        return naming.name(d.batch(), 0) ? naming.source() + " " + naming.metric() : "bad";
    }

    @Test
    void takesTheFirstSourceLabelAndLeavesEverySourceLabelOut() throws IOException {
        assertEquals("web-1:9100 node_cpu_seconds_total{cpu=\"0\",mode=\"idle\"}",
                name("__name__", "node_cpu_seconds_total", "cpu", "0", "instance", "web-1:9100", "job", "node",
                        "mode", "idle"));
        assertEquals("node up", name("__name__", "up", "job", "node"));
        assertEquals("default up", name("__name__", "up"));
        assertEquals("default up", name("__name__", "up", "instance", ""));
    }

    @Test
    void sortsLabelsByName() throws IOException {
        assertEquals("default m{a=\"1\",b=\"2\",c=\"3\"}", name("c", "3", "__name__", "m", "a", "1", "b", "2"));
    }

    @Test
    void escapesValuesAsThePrometheusTextFormat() throws IOException {
        assertEquals("default m{path=\"C:\\\\dir \\\"x\\\"\\nnext {=,}\"}",
                name("__name__", "m", "path", "C:\\dir \"x\"\nnext {=,}"));
    }

    @Test
    void mapsTheSourceOntoItsAlphabet() throws IOException {
        assertEquals("http:__web_1:8080_x m", name("__name__", "m", "instance", "http://web 1:8080/x"));
    }

    @Test
    void refusesWhatCannotBeAName() throws IOException {
        assertEquals("bad", name("__name__", "1up"));
        assertEquals("bad", name("__name__", "up", "bad-label", "x"));
        assertEquals("bad", name("__name__", "m", "v", "tab\there"));
        assertEquals("bad", name("__name__", "m", "instance", "h".repeat(129)));
        assertEquals("bad", name("__name__", "m", "v", "x".repeat(300)));
        assertEquals("skipped", name("__name__", "m", "v", "x".repeat(2000)));
        String fits = "x".repeat(256 - "m{v=\"\"}".length());
        assertEquals("default m{v=\"" + fits + "\"}", name("__name__", "m", "v", fits));
        assertEquals("bad", name("__name__", "m", "v", fits + "x"));
    }
}
