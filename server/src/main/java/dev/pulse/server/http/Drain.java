package dev.pulse.server.http;

/**
 * Whether the server is draining for shutdown: new requests get 503 (or {@code /health} says DOWN) and every reply
 * closes its connection. Set once by the shutdown thread, read by the event loops.
 */
public final class Drain {
    private volatile boolean draining; // written once by the shutdown thread

    public boolean draining() {
        return draining;
    }

    public void start() {
        draining = true;
    }
}
