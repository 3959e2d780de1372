package dev.pulse.server.ingest;

import dev.pulse.protocol.labelled.DecodeResult;
import dev.pulse.protocol.otlp.Gunzip;
import dev.pulse.protocol.otlp.OtlpResponse;
import dev.pulse.server.http.Exchange;
import dev.pulse.server.http.Replies;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.util.AsciiString;

/**
 * {@code POST /v1/metrics}: OTLP/HTTP metrics, {@code ExportMetricsServiceRequest} as protobuf
 * ({@code application/x-protobuf}) or JSON ({@code application/json}), optionally {@code Content-Encoding: gzip}
 * (inflated within {@code MAX_DECOMPRESSED_BYTES}, else 413). Number points are applied one by one; the answer is
 * {@code 200} with an {@code ExportMetricsServiceResponse} in the request's encoding, whose
 * {@code partial_success} counts the points skipped (histograms, summaries, out of order...) and says why.
 *
 * <p>One per connection (it gathers the body); every field is owned by the connection's event loop.
 */
public final class OtlpHandler extends LabelledBodyHandler {
    private static final AsciiString PROTOBUF = AsciiString.cached("application/x-protobuf");
    private static final AsciiString GZIP = AsciiString.cached("gzip");
    private static final AsciiString IDENTITY = AsciiString.cached("identity");

    private boolean json;    // the request being read is JSON; owned by the connection's event loop
    private boolean gzipped; // the request being read is gzip-compressed

    public OtlpHandler(LabelledIngest ingest, int maxBodyBytes) {
        super(ingest, maxBodyBytes);
    }

    @Override
    String readHead(HttpRequest req) {
        CharSequence mime = HttpUtil.getMimeType(req);
        String encoding = req.headers().get(HttpHeaderNames.CONTENT_ENCODING);
        boolean proto = mime != null && AsciiString.contentEqualsIgnoreCase(mime, PROTOBUF);
        json = mime != null && AsciiString.contentEqualsIgnoreCase(mime, Replies.JSON);
        gzipped = encoding != null && AsciiString.contentEqualsIgnoreCase(encoding.trim(), GZIP);
        boolean plain = encoding == null || AsciiString.contentEqualsIgnoreCase(encoding.trim(), IDENTITY);
        if (!(proto || json) || !(gzipped || plain)) {
            return "OTLP takes Content-Type: application/x-protobuf or application/json, "
                    + "with no Content-Encoding or gzip";
        }
        return null;
    }

    @Override
    void finish(Exchange ex, byte[] array, int offset, int length) {
        LabelledIngest.Loop loop = ingest.loop();
        if (gzipped) {
            int n = loop.gunzip.inflate(array, offset, length);
            if (n == Gunzip.TOO_LARGE) {
                tooLarge(ex, loop.gunzip.message());
                return;
            }
            if (n == Gunzip.MALFORMED) {
                malformed(ex, loop.gunzip.message());
                return;
            }
            array = loop.gunzip.output();
            offset = 0;
            length = n;
        } else if (length > ingest.maxDecompressedBytes) {
            tooLarge(ex, "the body is larger than " + ingest.maxDecompressedBytes + " bytes (MAX_DECOMPRESSED_BYTES)");
            return;
        }
        DecodeResult result;
        if (json) {
            result = loop.otlpJson.decode(array, offset, length);
        } else {
            result = loop.otlpProto.decode(array, offset, length);
        }
        if (result == DecodeResult.MALFORMED) {
            malformed(ex, json ? loop.otlpJson.message() : loop.otlpProto.message());
            return;
        }
        if (!loop.apply(ingest.counters)) {
            overloaded(ex);
            return;
        }
        int rejected = loop.applier.skippedTotal();
        String why = rejected == 0 ? "" : rejected + " data points skipped: " + loop.skipReasons();
        if (json) {
            ByteBuf body = ByteBufUtil.writeUtf8(ex.alloc(), OtlpResponse.json(rejected, why));
            ex.reply(HttpResponseStatus.OK, Replies.JSON, body);
        } else {
            ByteBuf body = ex.alloc().buffer(rejected == 0 ? 0 : 64 + why.length());
            OtlpResponse.writeProto(body, rejected, why);
            ex.reply(HttpResponseStatus.OK, PROTOBUF, body);
        }
    }
}
