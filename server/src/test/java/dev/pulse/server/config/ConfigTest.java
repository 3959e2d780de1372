package dev.pulse.server.config;

import org.junit.jupiter.api.Test;

import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigTest {

    @Test
    void defaultsAreTheContracts() {
        Config c = Config.defaults();
        assertEquals(8080, c.port());
        assertEquals("localhost", c.redisHost());
        assertEquals(6379, c.redisPort());
        assertEquals(50, c.windowSize());
        assertEquals(2.0, c.zscoreThreshold());
        assertEquals(10, c.minSamples());
        assertEquals(1 << 20, c.maxBodyBytes());
        assertEquals(10_000, c.maxSources());
        assertEquals(32, c.maxMetricsPerSource());
        assertEquals(1000, c.maxExportedSeries());
        assertEquals(1000, c.analyzeCacheTtlMs());
        assertEquals(DetectorKind.ZSCORE, c.detector());
        assertEquals(10_000, c.shutdownTimeoutMs());
        assertEquals("metrics:", c.redisKeyPrefix());
    }

    @Test
    void redisNoneDisablesRedis() {
        assertTrue(Config.from(Map.of("REDIS_ADDR", "none")).redisDisabled());
    }

    @Test
    void aBadValueNamesTheVariableAndWhy() {
        assertEquals("WINDOW_SIZE=abc: not a number",
                assertThrows(ConfigException.class, () -> Config.from(Map.of("WINDOW_SIZE", "abc"))).getMessage());
        assertEquals("MIN_SAMPLES=60: must not exceed WINDOW_SIZE (50)",
                assertThrows(ConfigException.class, () -> Config.from(Map.of("MIN_SAMPLES", "60"))).getMessage());
        assertTrue(assertThrows(ConfigException.class, () -> Config.from(Map.of("SERVER_PORT", "70000")))
                .getMessage().startsWith("SERVER_PORT=70000: out of range"));
        assertTrue(assertThrows(ConfigException.class, () -> Config.from(Map.of("ZSCORE_THRESHOLD", "NaN")))
                .getMessage().startsWith("ZSCORE_THRESHOLD=NaN"));
        assertTrue(assertThrows(ConfigException.class, () -> Config.from(Map.of("REDIS_ADDR", "nohost")))
                .getMessage().startsWith("REDIS_ADDR=nohost"));
        assertTrue(assertThrows(ConfigException.class, () -> Config.from(Map.of("DETECTOR", "magic")))
                .getMessage().startsWith("DETECTOR=magic: expected one of zscore"));
    }

    @Test
    void theWeeksTimeZoneIsUtcAnOffsetOrARegion() {
        assertEquals(ZoneId.of("UTC"), Config.defaults().weekTimeZone());
        assertEquals(ZoneOffset.ofHours(8), Config.from(Map.of("WEEK_TIME_ZONE", " +08:00 ")).weekTimeZone());
        assertEquals(ZoneId.of("America/New_York"),
                Config.from(Map.of("WEEK_TIME_ZONE", "America/New_York")).weekTimeZone());
        assertTrue(assertThrows(ConfigException.class, () -> Config.from(Map.of("WEEK_TIME_ZONE", "Mars/Olympus")))
                .getMessage().startsWith("WEEK_TIME_ZONE=Mars/Olympus: expected a time zone"));
    }

    @Test
    void alertmanagerUrlsAreCommaSeparatedBaseUrls() {
        assertEquals(java.util.List.of(), Config.defaults().alertmanagerUrls());
        assertEquals(java.util.List.of("http://am-0:9093", "https://am-1.example/prefix"),
                Config.from(Map.of("ALERTMANAGER_URL", " http://am-0:9093/ , https://am-1.example/prefix,")).alertmanagerUrls());
        assertEquals("ALERTMANAGER_URL=am-0:9093: expected an http:// or https:// URL with a host and no query",
                assertThrows(ConfigException.class, () -> Config.from(Map.of("ALERTMANAGER_URL", "am-0:9093"))).getMessage());
        assertTrue(assertThrows(ConfigException.class, () -> Config.from(Map.of("ALERT_RESEND_MS", "10")))
                .getMessage().startsWith("ALERT_RESEND_MS=10: out of range"));
        assertEquals(10_000, Config.defaults().anomalyLogSize());
        assertEquals(30_000, Config.defaults().alertResendMs());
        assertEquals(300_000, Config.defaults().alertResolveMs());
    }
}
