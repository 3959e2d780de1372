package dev.pulse.server.support;

import java.io.IOException;
import java.net.ServerSocket;

/** Ports for the servers a test starts. */
public final class Ports {
    private Ports() {
    }

    /** A TCP port that was free a moment ago (the system's choice for port 0). */
    public static int free() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
