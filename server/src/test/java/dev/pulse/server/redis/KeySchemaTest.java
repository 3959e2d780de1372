package dev.pulse.server.redis;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class KeySchemaTest {
    private final KeySchema keys = new KeySchema("metrics:");

    @Test
    void aSeriesKeyNamesItsSourceAndALabelledMetricWithoutAmbiguity() {
        String metric = "http_requests_total{code=\"200\",path=\"/a:b\",q=\"x } y\"}";
        String key = keys.series("db:2", metric);
        assertEquals("metrics:series:{db:2}:" + metric, key);
        assertEquals("db:2", keys.sourceOf(key));
        assertEquals(metric, keys.metricOf(key));
        // the old layout made these two one key
        assertNotEquals(keys.series("a:b", "c"), keys.series("a", "b:c"));
        assertEquals("a", keys.sourceOf(keys.series("a", "b:c")));
        assertEquals("b:c", keys.metricOf(keys.series("a", "b:c")));
    }

    @Test
    void otherKeysAreNoSeriesKeys() {
        assertNull(keys.sourceOf("metrics:source:web-1"));
        assertNull(keys.metricOf("metrics:series:web-1:cpu"));
        assertNull(keys.sourceOf("other:series:{a}:b"));
    }
}
