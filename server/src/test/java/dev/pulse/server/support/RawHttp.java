package dev.pulse.server.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A bare HTTP/1.1 connection for what the JDK client cannot do: pipelining, hand-made chunking, odd framing. */
public final class RawHttp implements AutoCloseable {
    /** A parsed response. */
    public record Response(int status, String headers, String body) {
        public String header(String name) {
            for (String line : headers.split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).equalsIgnoreCase(name)) {
                    return line.substring(colon + 1).trim();
                }
            }
            return null;
        }
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    public RawHttp(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(10_000);
        socket.setTcpNoDelay(true);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    public RawHttp send(String raw) throws IOException {
        out.write(raw.getBytes(StandardCharsets.UTF_8));
        out.flush();
        return this;
    }

    /** Limits the kernel's send buffer, so writes wait for the server to read, as over a real network. */
    public RawHttp sendBuffer(int bytes) throws IOException {
        socket.setSendBufferSize(bytes);
        return this;
    }

    /** Writes {@code length} bytes of {@code bytes} from {@code offset}, as one write. */
    public RawHttp send(byte[] bytes, int offset, int length) throws IOException {
        out.write(bytes, offset, length);
        out.flush();
        return this;
    }

    public static String post(String body) {
        return "POST /metrics-data HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: "
                + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body;
    }

    public static String get(String path) {
        return "GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n";
    }

    /** Reads one response framed by Content-Length. */
    public Response read() throws IOException {
        String head = readHead();
        int status = Integer.parseInt(head.substring(9, 12));
        int length = 0;
        for (String line : head.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).trim());
            }
        }
        byte[] body = in.readNBytes(length);
        return new Response(status, head, new String(body, StandardCharsets.UTF_8));
    }

    /** Reads a response that has a head only, whatever its Content-Length says (the reply to a HEAD request). */
    public Response readHeadOnly() throws IOException {
        String head = readHead();
        return new Response(Integer.parseInt(head.substring(9, 12)), head, "");
    }

    /** Reads an interim (1xx) response head and returns its status. */
    public int readInterim() throws IOException {
        String head = readHead();
        return Integer.parseInt(head.substring(9, 12));
    }

    public List<Response> read(int n) throws IOException {
        List<Response> all = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            all.add(read());
        }
        return all;
    }

    /**
     * The first byte the server sends within {@code millis}: -1 when it closed the connection, null when it sent
     * nothing in that time (the connection stays open). Sets the socket's timeout to {@code millis}.
     */
    public Integer firstByteWithin(int millis) throws IOException {
        socket.setSoTimeout(millis);
        try {
            return in.read();
        } catch (java.net.SocketTimeoutException e) {
            return null;
        }
    }

    /** True when the server closed the connection (end of stream) within the socket timeout. */
    public boolean closedByServer() throws IOException {
        try {
            return in.read() == -1;
        } catch (java.net.SocketException e) {
            return true;
        }
    }

    private String readHead() throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed after " + head.size() + " bytes: " + head);
            }
            head.write(b);
            matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.US_ASCII);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
