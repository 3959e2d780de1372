package dev.pulse.server.ingest;

import dev.pulse.protocol.event.DecodeError;
import dev.pulse.server.http.Exchange;
import dev.pulse.server.http.RouteHandler;
import dev.pulse.server.ingest.IngestCounters.Rejection;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;

/**
 * The part remote write and OTLP share: a compressed (or protobuf) body cannot be decoded before it is whole, so
 * its chunks are gathered into one pooled heap buffer, bounded by {@code MAX_BODY_BYTES} (413, judged on the
 * declared length first), then decoded and applied on the event loop in one step.
 *
 * <p>One per connection; every field is owned by the connection's event loop.
 */
abstract class LabelledBodyHandler implements RouteHandler {
    private static final int INITIAL_BODY = 16 * 1024;

    final LabelledIngest ingest;
    private final int maxBodyBytes;
    private ByteBuf body; // the request's body so far; null between requests

    LabelledBodyHandler(LabelledIngest ingest, int maxBodyBytes) {
        this.ingest = ingest;
        this.maxBodyBytes = maxBodyBytes;
    }

    /** Reads the content type and encoding the body will come in: null when accepted, else the 415 message. */
    abstract String readHead(HttpRequest req);

    /** Decodes and applies the whole body {@code array[offset, offset+length)} and answers. */
    abstract void finish(Exchange ex, byte[] array, int offset, int length);

    @Override
    public void head(Exchange ex) {
        release();
        String why = readHead(ex.request());
        if (why != null) {
            ingest.counters.rejected(Rejection.UNSUPPORTED_MEDIA_TYPE);
            ex.error(HttpResponseStatus.UNSUPPORTED_MEDIA_TYPE, why);
            return;
        }
        long declared = HttpUtil.getContentLength(ex.request(), -1L);
        if (declared > maxBodyBytes) {
            tooLarge(ex, "body is larger than " + maxBodyBytes + " bytes (MAX_BODY_BYTES)");
            return;
        }
        // The first size is capped by the limit: a MAX_BODY_BYTES below INITIAL_BODY is a legal setting.
        body = ex.alloc().heapBuffer((int) Math.min(maxBodyBytes, Math.max(declared, INITIAL_BODY)), maxBodyBytes);
    }

    @Override
    public void content(Exchange ex, ByteBuf chunk, boolean last) {
        if (chunk.readableBytes() > body.maxWritableBytes()) {
            release();
            tooLarge(ex, "body is larger than " + maxBodyBytes + " bytes (MAX_BODY_BYTES)");
            return;
        }
        body.writeBytes(chunk);
        if (last) {
            try {
                finish(ex, body.array(), body.arrayOffset() + body.readerIndex(), body.readableBytes());
            } finally {
                release();
            }
        }
    }

    @Override
    public void draining(Exchange ex) {
        ingest.counters.rejected(Rejection.UNAVAILABLE);
        RouteHandler.super.draining(ex);
    }

    @Override
    public void unauthorized(Exchange ex) {
        ingest.counters.rejected(Rejection.UNAUTHORIZED);
        RouteHandler.super.unauthorized(ex);
    }

    @Override
    public void close() {
        release();
    }

    void malformed(Exchange ex, String message) {
        ingest.counters.rejected(DecodeError.MALFORMED);
        ex.error(HttpResponseStatus.BAD_REQUEST, message);
    }

    void tooLarge(Exchange ex, String message) {
        ingest.counters.rejected(Rejection.TOO_LARGE);
        ex.closeAfterReply(); // the rest of the body may be unread, so the connection cannot carry another request
        ex.error(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, message);
    }

    void overloaded(Exchange ex) {
        ex.error(HttpResponseStatus.SERVICE_UNAVAILABLE,
                "the Redis write-behind queue is full (REDIS_QUEUE_FULL=reject); retry later");
    }

    private void release() {
        if (body != null) {
            body.release();
            body = null;
        }
    }
}
