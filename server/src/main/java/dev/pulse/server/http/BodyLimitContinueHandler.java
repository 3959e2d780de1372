package dev.pulse.server.http;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerExpectContinueHandler;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;

import java.nio.charset.StandardCharsets;

/**
 * Answers {@code Expect: 100-continue}: 100 when the declared length fits {@code MAX_BODY_BYTES}, 413 (and no body
 * is read) when it does not. Sits right after {@code HttpServerCodec}.
 */
final class BodyLimitContinueHandler extends HttpServerExpectContinueHandler {
    private final long maxBodyBytes;

    BodyLimitContinueHandler(long maxBodyBytes) {
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    protected HttpResponse acceptMessage(HttpRequest request) {
        return HttpUtil.getContentLength(request, -1L) > maxBodyBytes ? null : super.acceptMessage(request);
    }

    @Override
    protected HttpResponse rejectResponse(HttpRequest request) {
        if (HttpUtil.getContentLength(request, -1L) > maxBodyBytes) {
            byte[] body = ("{\"error\":\"body is larger than " + maxBodyBytes + " bytes (MAX_BODY_BYTES)\"}")
                    .getBytes(StandardCharsets.US_ASCII);
            DefaultFullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                    HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, Unpooled.wrappedBuffer(body));
            r.headers().set(HttpHeaderNames.CONTENT_TYPE, Replies.JSON)
                    .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length)
                    .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            return r;
        }
        return super.rejectResponse(request);
    }
}
