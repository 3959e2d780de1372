package dev.pulse.server.http;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.util.ReferenceCountUtil;

import java.nio.charset.StandardCharsets;

/**
 * Answers a request the codec could not decode (431 headers too large, 414 request line too long, 400 otherwise)
 * and closes the connection: the codec reads nothing more from it. Sits after the codec; shared by all channels.
 */
@ChannelHandler.Sharable
final class MalformedRequests extends ChannelInboundHandlerAdapter {
    static final MalformedRequests INSTANCE = new MalformedRequests();

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof HttpRequest req) || req.decoderResult().isSuccess()) {
            ctx.fireChannelRead(msg);
            return;
        }
        Throwable cause = req.decoderResult().cause();
        ReferenceCountUtil.release(msg);
        if (cause instanceof TooLongHttpHeaderException) {
            reply(ctx, HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, "request headers are too large");
        } else if (cause instanceof TooLongHttpLineException) {
            reply(ctx, HttpResponseStatus.REQUEST_URI_TOO_LONG, "request line is too long");
        } else if (cause instanceof TooLongFrameException) {
            reply(ctx, HttpResponseStatus.BAD_REQUEST, "a chunk is too large");
        } else {
            reply(ctx, HttpResponseStatus.BAD_REQUEST, "malformed HTTP request");
        }
    }

    private static void reply(ChannelHandlerContext ctx, HttpResponseStatus status, String message) {
        String json = "{\"error\":\"" + message + "\"}";
        FullHttpResponse r = Replies.response(status, Replies.JSON,
                ctx.alloc().buffer(json.length()).writeBytes(json.getBytes(StandardCharsets.US_ASCII)));
        r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        ctx.writeAndFlush(r, ctx.voidPromise());
    }
}
