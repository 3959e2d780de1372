package dev.pulse.server.http;

import dev.pulse.server.Services;
import dev.pulse.server.analytics.BatchListener;
import dev.pulse.server.analytics.SeriesRegistry;
import dev.pulse.server.analytics.detect.Detectors;
import dev.pulse.server.config.Config;
import dev.pulse.server.query.RemoteSnapshots;
import dev.pulse.server.redis.RedisStatus;
import dev.pulse.server.support.Replies;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * The server's pipeline in an {@link EmbeddedChannel}: a byte stream of pipelined requests gives the same replies,
 * in the same order, however the network splits it.
 */
class PipelineSplitTest {
    private static final String STREAM =
            "POST /metrics-data HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 49\r\n\r\n"
                    + "[{\"source\":\"s\",\"cpu\":1.5},{\"source\":\"s\",\"cpu\":2}]"
                    + "POST /metrics-data HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
                    + "Content-Type: application/x-ndjson\r\n\r\n"
                    + "c\r\n{\"cpu\":3.25}\r\n1\r\n\n\r\n8\r\n{\"cpu\":4\r\n1\r\n}\r\n0\r\n\r\n"
                    + "POST /metrics-data HTTP/1.1\r\nHost: x\r\nContent-Length: 9\r\n\r\n{\"cpu\":x}"
                    // a number the fast path leaves to jackson, then a trailing comma: refused wherever it is cut
                    + "POST /metrics-data HTTP/1.1\r\nHost: x\r\nContent-Length: 27\r\n\r\n{\"cpu\":110110555888815555,}"
                    + "GET /analyze?source=s&metric=cpu HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "GET /nowhere HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "DELETE /stats HTTP/1.1\r\nHost: x\r\n\r\n";

    private static List<String> run(byte[] bytes, int... splits) {
        Config config = Config.from(Map.of("REDIS_ADDR", "none"));
        SeriesRegistry registry = new SeriesRegistry(100, 10, 50, Detectors.factory(config));
        Services services = new Services(config, registry, RedisStatus.DISABLED, BatchListener.NONE, RemoteSnapshots.NONE);
        EmbeddedChannel channel = new EmbeddedChannel(services.pipeline());
        int from = 0;
        for (int split : splits) {
            channel.writeInbound(Unpooled.wrappedBuffer(bytes, from, split - from));
            from = split;
        }
        channel.writeInbound(Unpooled.wrappedBuffer(bytes, from, bytes.length - from));
        channel.flushOutbound();
        List<String> replies = Replies.drain(channel);
        assertFalse(channel.finish());
        return replies;
    }

    @Test
    void answersPipelinedRequestsInOrderWhateverTheSplit() {
        byte[] bytes = STREAM.getBytes(StandardCharsets.US_ASCII);
        List<String> whole = run(bytes);
        assertEquals(7, whole.size(), String.join("\n---\n", whole));
        assertEquals(List.of("200", "200", "400", "400", "200", "404", "405"),
                whole.stream().map(r -> r.substring(9, 12)).toList());
        assertEquals(true, whole.get(0).endsWith("{\"accepted\":2,\"anomalies\":[]}"));
        assertEquals(true, whole.get(1).endsWith("{\"accepted\":2,\"anomalies\":[]}"));
        assertEquals(true, whole.get(4).contains("\"count\":2,\"last\":2.0,\"rolling_avg\":1.75"));
        for (int split = 1; split < bytes.length; split++) {
            assertEquals(whole, run(bytes, split), "split at " + split);
        }
        for (int a = 7; a < bytes.length; a += 13) {
            for (int b = a + 1; b < bytes.length; b += 29) {
                assertEquals(whole, run(bytes, a, b), "split at " + a + " and " + b);
            }
        }
    }
}
