package dev.pulse.server.alert;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SummaryTest {
    @Test
    void saysWhatHappenedInOneSentenceWithUnitsWhereTheNameSaysThem() {
        assertEquals("latency of web-3 is 412 ms, 6.2 standard deviations above its rolling average of 48 ms",
                Summary.sentence("web-3", "latency", 412.3, 48.04, 6.2));
        assertEquals("cpu of db-1 is 3%, 2.5 standard deviations below its rolling average of 45.5%",
                Summary.sentence("db-1", "cpu", 3, 45.5, -2.5));
        assertEquals("queue_len of q is 7, while every value in its rolling window was 3",
                Summary.sentence("q", "queue_len", 7, 3, Double.NaN));
        assertEquals("heap_bytes of jvm-1 is 1.23E+9 bytes, 1.0 standard deviation above its rolling average of 1.2E+9 bytes",
                Summary.sentence("jvm-1", "heap_bytes", 1_234_567_890, 1_200_000_000, 1.04));
        assertEquals("request_seconds{path=\"/a\"} of api is 0.0123 s, 3.0 standard deviations above its rolling average of 0.002 s",
                Summary.sentence("api", "request_seconds{path=\"/a\"}", 0.01234, 0.002, 3));
    }
}
