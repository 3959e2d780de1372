package dev.pulse.server.config;

/** A configuration value that stops start-up; the message is one line naming the variable and why. */
public final class ConfigException extends RuntimeException {
    public ConfigException(Setting setting, String value, String why) {
        super(setting.name() + "=" + value + ": " + why);
    }
}
