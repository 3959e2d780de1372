package dev.pulse.server.ingest;

import dev.pulse.protocol.labelled.DecodeResult;
import dev.pulse.server.http.Exchange;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;

/**
 * {@code POST /api/v1/write}: Prometheus remote write 1.0. A snappy-compressed {@code WriteRequest}
 * ({@code Content-Type: application/x-protobuf}, with no {@code proto} parameter or
 * {@code proto=prometheus.WriteRequest}, and {@code Content-Encoding: snappy}; else 415) is decoded into the
 * loop's batch and applied sample by sample; {@code 204} when decoded (skips are counted in
 * {@code samples_skipped_total}), {@code 400} when not snappy or not a WriteRequest (Prometheus does not retry
 * it), {@code 413} past {@code MAX_BODY_BYTES} or a declared {@code MAX_DECOMPRESSED_BYTES}, {@code 503} while
 * draining or when the write-behind queue refuses (Prometheus retries).
 *
 * <p>One per connection (it gathers the body); every field is owned by the connection's event loop.
 */
public final class RemoteWriteHandler extends LabelledBodyHandler {
    private static final AsciiString PROTOBUF = AsciiString.cached("application/x-protobuf");
    private static final AsciiString SNAPPY = AsciiString.cached("snappy");
    /** The one message served; remote write 2.0 names {@code io.prometheus.write.v2.Request} in the same parameter. */
    private static final String WRITE_REQUEST = "prometheus.WriteRequest";

    public RemoteWriteHandler(LabelledIngest ingest, int maxBodyBytes) {
        super(ingest, maxBodyBytes);
    }

    @Override
    String readHead(HttpRequest req) {
        CharSequence mime = HttpUtil.getMimeType(req);
        String encoding = req.headers().get(HttpHeaderNames.CONTENT_ENCODING);
        if (mime == null || !AsciiString.contentEqualsIgnoreCase(mime, PROTOBUF)
                || encoding == null || !AsciiString.contentEqualsIgnoreCase(encoding.trim(), SNAPPY)) {
            return "remote write takes Content-Type: application/x-protobuf with Content-Encoding: snappy";
        }
        String proto = protoParameter(req.headers().get(HttpHeaderNames.CONTENT_TYPE));
        if (proto != null && !proto.equals(WRITE_REQUEST)) {
            // A 2.0 sender reads 415 as "this receiver takes another message"; decoding its body as a 1.0
            // WriteRequest would find no series and answer 204 for samples it dropped.
            return "remote write takes proto=" + WRITE_REQUEST + " (remote write 1.0), not proto=" + proto;
        }
        return null;
    }

    /** The {@code proto} parameter of a Content-Type, unquoted, or null when it has none. */
    private static String protoParameter(String contentType) {
        if (contentType == null || contentType.indexOf(';') < 0) {
            return null;
        }
        String[] parts = contentType.split(";");
        for (int i = 1; i < parts.length; i++) {
            int eq = parts[i].indexOf('=');
            if (eq > 0 && parts[i].substring(0, eq).trim().equalsIgnoreCase("proto")) {
                String value = parts[i].substring(eq + 1).trim();
                boolean quoted = value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"");
                return quoted ? value.substring(1, value.length() - 1) : value;
            }
        }
        return null;
    }

    @Override
    void finish(Exchange ex, byte[] array, int offset, int length) {
        LabelledIngest.Loop loop = ingest.loop();
        DecodeResult result = loop.remoteWrite.decode(array, offset, length);
        if (result == DecodeResult.TOO_LARGE) {
            tooLarge(ex, loop.remoteWrite.message());
        } else if (result == DecodeResult.MALFORMED) {
            malformed(ex, loop.remoteWrite.message());
        } else if (!loop.apply(ingest.counters)) {
            overloaded(ex);
        } else {
            ex.send(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NO_CONTENT, Unpooled.EMPTY_BUFFER));
        }
    }
}
