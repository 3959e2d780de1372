package dev.pulse.server.anomaly;

import dev.pulse.protocol.event.Names;
import dev.pulse.protocol.reply.JsonWriter;
import dev.pulse.server.analytics.Series;
import dev.pulse.server.http.Exchange;
import dev.pulse.server.http.Replies;
import dev.pulse.server.http.RouteHandler;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.concurrent.FastThreadLocal;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * {@code GET /anomalies?since=C&source=S&limit=N}: the anomaly log, oldest first, with the cursor to read on. Without
 * Redis, or before Redis has first answered, it copies from this replica's {@link AnomalyLog} on the event loop (a
 * bounded copy, {@code limit} entries at most); with Redis it reads the stream replicas share, answered when Redis
 * replies, off the loop.
 *
 * <p>Stateless and thread-safe: one instance serves every connection; each event loop has its own page to copy into.
 */
public final class AnomaliesHandler implements RouteHandler.Whole {
    /** Entries answered when {@code limit} is not given. */
    public static final int DEFAULT_LIMIT = 100;
    /** The largest {@code limit}. */
    public static final int MAX_LIMIT = 1000;
    private static final Pattern SEQUENCE = Pattern.compile("[0-9]{1,18}");
    private static final Pattern STREAM_ID = Pattern.compile("[0-9]{1,18}(-[0-9]{1,18})?(:[0-9]{1,9})?");

    private final AnomalyLog log;
    private final SharedAnomalies shared; // null without Redis
    private final FastThreadLocal<AnomalyLog.Page> pages = new FastThreadLocal<>() {
        @Override
        protected AnomalyLog.Page initialValue() {
            return new AnomalyLog.Page(MAX_LIMIT);
        }
    };

    public AnomaliesHandler(AnomalyLog log, SharedAnomalies shared) {
        this.log = log;
        this.shared = shared;
    }

    @Override
    public void answer(Exchange ex) {
        Exchange.Query query = ex.query();
        if (query == null) {
            return; // answered 400
        }
        String limitText = query.first("limit");
        String source = query.first("source");
        String since = query.first("since");
        int limit = DEFAULT_LIMIT;
        if (limitText != null) {
            limit = limitText.matches("[0-9]{1,9}") ? Integer.parseInt(limitText) : -1;
            if (limit < 1 || limit > MAX_LIMIT) {
                ex.error(HttpResponseStatus.BAD_REQUEST, "limit must be a whole number from 1 to " + MAX_LIMIT);
                return;
            }
        }
        if (source != null && !Names.isValidSource(source)) {
            ex.error(HttpResponseStatus.BAD_REQUEST, "source must be 1-128 characters of A-Z a-z 0-9 _ . : -");
            return;
        }
        if (since == null || since.isEmpty()) {
            since = "0";
        }
        boolean streamed = shared != null && shared.reached();
        if (!(streamed ? STREAM_ID : SEQUENCE).matcher(since).matches()) {
            ex.error(HttpResponseStatus.BAD_REQUEST, "since must be 0 or the \"next\" of an earlier answer ("
                    + (streamed ? "a stream id, with :<count> inside an entry" : "a number") + ")");
            return;
        }
        if (streamed) {
            ex.later(shared.read(since, source, limit), (body, failure) -> {
                if (body == null) {
                    ex.error(HttpResponseStatus.SERVICE_UNAVAILABLE,
                            "the shared anomaly log cannot be read from Redis; retry later");
                    return;
                }
                ByteBuf buf = ex.alloc().buffer(body.length());
                buf.writeCharSequence(body, StandardCharsets.UTF_8);
                ex.reply(HttpResponseStatus.OK, Replies.JSON, buf);
            });
            return;
        }
        AnomalyLog.Page page = pages.get();
        log.read(Long.parseLong(since), source, limit, page);
        JsonWriter w = ex.json();
        w.beginObject().name("anomalies").beginArray();
        for (int i = 0; i < page.size(); i++) {
            Series s = page.series(i);
            AnomalyJson.write(w, page.timeMs(i), s.source().name(), s.metric(), page.value(i), page.mean(i),
                    page.stddev(i), page.zscore(i), page.score(i), page.detector(i));
        }
        w.endArray().name("next").value(page.next()).endObject();
        page.release();
        ex.reply(HttpResponseStatus.OK, w);
    }
}
