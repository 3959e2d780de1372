package dev.pulse.server.http;

import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.AsciiString;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * {@code AUTH_TOKEN}: a request on a route that changes state must carry {@code Authorization: Bearer <token>}.
 * The token is compared in constant time ({@link MessageDigest#isEqual}, whose time depends on the expected
 * token's length only) and appears in no reply, log line or metric. Immutable and thread-safe.
 */
public final class BearerAuth {
    /** No token configured: every request is allowed. */
    public static final BearerAuth OPEN = new BearerAuth(null);

    private static final AsciiString CHALLENGE = AsciiString.cached("Bearer");
    private static final String SCHEME = "bearer ";

    private final byte[] token; // null when open

    private BearerAuth(byte[] token) {
        this.token = token;
    }

    /** The guard for {@code token}; an empty token leaves every route open. */
    public static BearerAuth of(String token) {
        return token.isEmpty() ? OPEN : new BearerAuth(token.getBytes(StandardCharsets.US_ASCII));
    }

    /** Whether {@code req} may use {@code route}: always for routes that change nothing. */
    boolean permits(Route route, HttpRequest req) {
        if (token == null || !route.mutates()) {
            return true;
        }
        String header = req.headers().get(HttpHeaderNames.AUTHORIZATION);
        if (header == null || header.length() <= SCHEME.length()
                || !header.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            return false;
        }
        byte[] given = header.substring(SCHEME.length()).trim().getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(token, given);
    }

    /** The 401 reply, with the challenge; the body says what is missing, never what was expected. */
    static FullHttpResponse refusal(Exchange ex) {
        FullHttpResponse r = Replies.response(HttpResponseStatus.UNAUTHORIZED, Replies.JSON, ex.json().beginObject()
                .name("error").value("this route needs Authorization: Bearer <token> with the server's AUTH_TOKEN")
                .endObject().buffer());
        r.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, CHALLENGE);
        return r;
    }
}
