package dev.pulse.perf.nab;

/**
 * NAB's application profiles: how much a detected window, a missed window and a false alarm weigh. The weights
 * are NAB's published ones ({@code config/profiles.json}); true negatives carry no weight in the score.
 */
public enum Profile {
    STANDARD("standard", 1.0, 1.0, 0.11),
    REWARD_LOW_FP_RATE("reward_low_FP_rate", 1.0, 1.0, 0.22),
    REWARD_LOW_FN_RATE("reward_low_FN_rate", 1.0, 2.0, 0.11);

    private final String nabName;
    private final double tpWeight;
    private final double fnWeight;
    private final double fpWeight;

    Profile(String nabName, double tpWeight, double fnWeight, double fpWeight) {
        this.nabName = nabName;
        this.tpWeight = tpWeight;
        this.fnWeight = fnWeight;
        this.fpWeight = fpWeight;
    }

    /** The name NAB's scoreboard uses. */
    public String nabName() {
        return nabName;
    }

    public double tpWeight() {
        return tpWeight;
    }

    public double fnWeight() {
        return fnWeight;
    }

    public double fpWeight() {
        return fpWeight;
    }
}
