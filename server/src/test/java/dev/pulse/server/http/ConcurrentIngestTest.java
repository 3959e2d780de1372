package dev.pulse.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pulse.server.support.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Many clients POST to one source at once. Each client also owns a metric of its own, whose order is therefore
 * known: its final window must match a sequential computation exactly. The shared metric must have lost nothing.
 */
@Timeout(120)
class ConcurrentIngestTest {
    private static final int CLIENTS = 8;
    private static final int EVENTS = 300;

    @Test
    void concurrentPostsToOneSourceNeverCorruptAWindowOrLoseAnEvent() throws Exception {
        ObjectMapper json = new ObjectMapper();
        try (TestServer server = new TestServer()) {
            ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
            List<Future<double[]>> sent = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                int client = c;
                sent.add(pool.submit(() -> {
                    Random r = new Random(client);
                    double[] values = new double[EVENTS];
                    for (int i = 0; i < EVENTS; i++) {
                        values[i] = 100 + r.nextGaussian() * 10 + (r.nextInt(40) == 0 ? 80 : 0);
                        String body = "{\"source\":\"shared\",\"own_" + client + "\":" + values[i] + ",\"all\":" + values[i] + "}";
                        HttpResponse<String> resp = server.post(body);
                        assertEquals(200, resp.statusCode(), resp.body());
                    }
                    return values;
                }));
            }
            List<double[]> streams = new ArrayList<>();
            for (Future<double[]> f : sent) {
                streams.add(f.get());
            }
            pool.shutdown();

            JsonNode metrics = json.readTree(server.get("/analyze?source=shared").body()).get("metrics");
            assertEquals(CLIENTS * EVENTS, metrics.get("all").get("count").asInt(), "no event lost on the shared series");
            for (int c = 0; c < CLIENTS; c++) {
                double[] values = streams.get(c);
                JsonNode own = metrics.get("own_" + c);
                Reference ref = Reference.of(values, 50, 2.0, 10);
                assertEquals(EVENTS, own.get("count").asInt());
                assertEquals(values[EVENTS - 1], own.get("last").asDouble(), 0.0);
                assertEquals(ref.mean, own.get("rolling_avg").asDouble(), 1e-9);
                assertEquals(ref.stddev, own.get("stddev").asDouble(), 1e-9);
                assertEquals(ref.lastZ, own.get("zscore").asDouble(), 1e-9);
                assertEquals(ref.anomalies, own.get("anomalies_total").asInt(), "client " + c);
            }
        }
    }

    /** The contract's rule computed sequentially, the plain O(window) way. */
    record Reference(double mean, double stddev, double lastZ, int anomalies) {
        static Reference of(double[] values, int window, double threshold, int minSamples) {
            int anomalies = 0;
            double z = 0;
            for (int i = 0; i < values.length; i++) {
                int from = Math.max(0, i - window);
                int n = i - from;
                double m = 0;
                for (int j = from; j < i; j++) {
                    m += values[j];
                }
                m = n == 0 ? 0 : m / n;
                double ss = 0;
                for (int j = from; j < i; j++) {
                    ss += (values[j] - m) * (values[j] - m);
                }
                double sd = n == 0 ? 0 : Math.sqrt(ss / n);
                z = n == 0 ? 0 : (values[i] - m) / sd;
                if (n >= minSamples && Math.abs(z) > threshold) {
                    anomalies++;
                }
            }
            int from = Math.max(0, values.length - window);
            double m = 0;
            for (int j = from; j < values.length; j++) {
                m += values[j];
            }
            m /= values.length - from;
            double ss = 0;
            for (int j = from; j < values.length; j++) {
                ss += (values[j] - m) * (values[j] - m);
            }
            return new Reference(m, Math.sqrt(ss / (values.length - from)), z, anomalies);
        }
    }
}
