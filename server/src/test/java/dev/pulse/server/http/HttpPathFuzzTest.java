package dev.pulse.server.http;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pulse.protocol.reply.JsonWriter;
import dev.pulse.server.Services;
import dev.pulse.server.analytics.BatchListener;
import dev.pulse.server.analytics.SeriesRegistry;
import dev.pulse.server.analytics.detect.Detectors;
import dev.pulse.server.config.Config;
import dev.pulse.server.query.RemoteSnapshots;
import dev.pulse.server.redis.RedisStatus;
import dev.pulse.server.support.Replies;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Coverage-guided fuzzing of the whole HTTP path (Jazzer): the server's pipeline in an {@link EmbeddedChannel}, fed
 * a POST whose body and framing the fuzzer picks, split where the fuzzer says. Invariants: every request gets one
 * answer and none is a 5xx; a 2xx accepted as many events as Jackson databind reads in the body; a 4xx leaves every
 * series as it was. The first three input bytes choose the framing and the split, the rest is the body, so a
 * corpus file is readable. {@code make test} replays the corpus; {@code make fuzz} explores.
 */
class HttpPathFuzzTest {
    private static final ObjectMapper REFERENCE = new ObjectMapper();
    private static final Pattern STATUS = Pattern.compile("HTTP/1\\.1 (\\d{3}) ");
    private static final Pattern ACCEPTED = Pattern.compile("\\{\"accepted\":(\\d+),");

    private enum Framing { LENGTH_JSON, CHUNKED_JSON, LENGTH_NDJSON, RAW }

    // One server for every input, as in production: a pipeline per connection, its per-loop resources made once.
    private static final Config CONFIG = Config.from(Map.of("REDIS_ADDR", "none", "ANALYZE_CACHE_TTL_MS", "0",
            "MAX_BODY_BYTES", "65536", "MAX_SOURCES", "1000000"));
    private static final Services SERVICES = new Services(CONFIG,
            new SeriesRegistry(1_000_000, 8, 50, Detectors.factory(CONFIG)), RedisStatus.DISABLED, BatchListener.NONE,
            RemoteSnapshots.NONE);
    private static final ServerInitializer PIPELINE = SERVICES.pipeline();

    @FuzzTest(maxDuration = "60s")
    void appliesWholeOrNothing(FuzzedDataProvider data) throws Exception {
        byte[] head = data.consumeBytes(3);
        byte[] body = data.consumeRemainingAsBytes();
        Framing framing = Framing.values()[head.length > 0 ? (head[0] & 0xff) % 4 : 0];
        int split = head.length > 2 ? ((head[1] & 0xff) << 8) | (head[2] & 0xff) : 0;

        Services services = SERVICES;
        EmbeddedChannel channel = new EmbeddedChannel(PIPELINE);
        try {
            List<String> warm = exchange(channel, request(Framing.LENGTH_JSON,
                    "[{\"source\":\"a\",\"cpu\":1},{\"source\":\"a\",\"cpu\":3},{\"source\":\"b\",\"rps\":7}]"
                            .getBytes(StandardCharsets.UTF_8)), 0);
            assertEquals(List.of("200"), statuses(warm), "the connection serves a known request first");
            String before = state(services);

            byte[] request = request(framing, body);
            List<String> replies = exchange(channel, request, Math.min(split, request.length));
            List<String> statuses = statuses(replies);
            for (String status : statuses) {
                assertTrue(status.charAt(0) != '5', "a 5xx for " + framing + ": " + replies);
            }
            if (framing == Framing.RAW) {
                if (statuses.stream().noneMatch(s -> s.startsWith("2"))) {
                    assertEquals(before, state(services), "no 2xx, yet the state changed: " + replies);
                }
                return;
            }
            assertEquals(1, statuses.size(), "one request, one answer: " + replies);
            if (statuses.get(0).startsWith("2")) {
                Matcher m = ACCEPTED.matcher(replies.get(0));
                assertTrue(m.find(), replies.get(0));
                assertEquals(referenceCount(framing, body), Integer.parseInt(m.group(1)), "accepted count");
            } else {
                assertEquals(before, state(services), "a " + statuses.get(0) + " changed the state");
            }
        } finally {
            channel.finishAndReleaseAll();
        }
    }

    private static byte[] request(Framing framing, byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String type = framing == Framing.LENGTH_NDJSON ? "application/x-ndjson" : "application/json";
        switch (framing) {
            case LENGTH_JSON, LENGTH_NDJSON -> {
                out.writeBytes(("POST /metrics-data HTTP/1.1\r\nHost: x\r\nContent-Type: " + type + "\r\nContent-Length: "
                        + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.writeBytes(body);
            }
            case CHUNKED_JSON -> {
                out.writeBytes(("POST /metrics-data HTTP/1.1\r\nHost: x\r\nContent-Type: " + type
                        + "\r\nTransfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                for (int at = 0; at < body.length; at += 7) { // chunks of 7 bytes: tokens split everywhere
                    int n = Math.min(7, body.length - at);
                    out.writeBytes((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.write(body, at, n);
                    out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
                }
                out.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            case RAW -> out.writeBytes(body);
        }
        return out.toByteArray();
    }

    private static List<String> exchange(EmbeddedChannel channel, byte[] bytes, int split) {
        channel.writeInbound(Unpooled.wrappedBuffer(bytes, 0, split));
        if (channel.isOpen()) { // a refused request closes the connection; the rest is never read
            channel.writeInbound(Unpooled.wrappedBuffer(bytes, split, bytes.length - split));
        }
        if (channel.isOpen()) {
            channel.flushOutbound();
        }
        return Replies.drain(channel);
    }

    private static List<String> statuses(List<String> replies) {
        List<String> statuses = new ArrayList<>();
        for (String r : replies) {
            Matcher m = STATUS.matcher(r);
            if (m.lookingAt() && !m.group(1).equals("100")) {
                statuses.add(m.group(1));
            }
        }
        return statuses;
    }

    /** Every series as the fleet view shows it: windows, counts, last values. */
    private static String state(Services services) {
        ByteBuf buf = Unpooled.buffer();
        try {
            services.fleet.write(new JsonWriter().target(buf), System.nanoTime());
            return buf.toString(StandardCharsets.UTF_8).replaceAll("\"age_ms\":\\d+,?", "");
        } finally {
            buf.release();
        }
    }

    private static int referenceCount(Framing framing, byte[] body) throws Exception {
        if (framing == Framing.LENGTH_NDJSON) {
            int n = 0;
            try (MappingIterator<JsonNode> it = REFERENCE.readerFor(JsonNode.class).readValues(body)) {
                while (it.hasNext()) {
                    it.next();
                    n++;
                }
            }
            return n;
        }
        JsonNode tree = REFERENCE.readTree(body);
        return tree.isArray() ? tree.size() : 1;
    }
}
