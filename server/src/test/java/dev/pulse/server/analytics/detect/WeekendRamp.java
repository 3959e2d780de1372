package dev.pulse.server.analytics.detect;

/** A weekend's share of a time, as the detector tests draw weekly cycles. */
final class WeekendRamp {
    private static final long MONDAY = 1_420_416_000L; // 2015-01-05T00:00:00Z
    private static final long WEEK = 7 * 86_400;

    private WeekendRamp() {
    }

    /**
     * 1 on Saturdays and Sundays (UTC), 0 on weekdays, with raised-cosine ramps {@code rampHours} long centred on the
     * Saturday and Monday midnights (0: steps there).
     */
    static double share(long epochSecond, double rampHours) {
        double hours = Math.floorMod(epochSecond - MONDAY, WEEK) / 3600.0; // since Monday 00:00
        double h = rampHours / 2;
        if (hours < h) {
            return ramp((h - hours) / rampHours); // into Monday
        }
        if (hours >= 7 * 24 - h) {
            return ramp((7 * 24 + h - hours) / rampHours); // Sunday night
        }
        if (hours >= 5 * 24 - h && hours < 5 * 24 + h) {
            return ramp((hours - 5 * 24 + h) / rampHours); // Friday night into Saturday
        }
        return hours >= 5 * 24 ? 1 : 0;
    }

    private static double ramp(double share) {
        return 0.5 - 0.5 * Math.cos(Math.PI * Math.max(0, Math.min(1, share)));
    }
}
