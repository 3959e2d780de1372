package dev.pulse.server.http;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;

/** Builds the server's HTTP responses around a body already written into a pooled buffer. */
public final class Replies {
    public static final AsciiString JSON = AsciiString.cached("application/json");
    public static final AsciiString PROMETHEUS = AsciiString.cached("text/plain; version=0.0.4; charset=utf-8");
    private static final AsciiString RETRY_AFTER_SECONDS = AsciiString.cached("1");
    /** Our own header names and values are known good: skip per-reply validation. */
    private static final DefaultHttpHeadersFactory HEADERS = DefaultHttpHeadersFactory.headersFactory().withValidation(false);
    private static final DefaultHttpHeadersFactory TRAILERS = DefaultHttpHeadersFactory.trailersFactory().withValidation(false);

    private Replies() {
    }

    /** A response with Content-Type and Content-Length set, and Retry-After on a 503. */
    public static FullHttpResponse response(HttpResponseStatus status, AsciiString contentType, ByteBuf body) {
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, body, HEADERS, TRAILERS);
        r.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, contentType)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
        if (status.code() == 503) {
            r.headers().set(HttpHeaderNames.RETRY_AFTER, RETRY_AFTER_SECONDS);
        }
        return r;
    }
}
