package dev.pulse.server.lifecycle;

import dev.pulse.server.analytics.SeriesRegistry;
import dev.pulse.server.http.Exchange;
import dev.pulse.server.http.RouteHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;

/**
 * {@code DELETE /series?source=S[&metric=M]}: forgets every series of a source, or one. {@code 204} when something
 * went, {@code 404} when the source or metric is unknown here, {@code 400} without a source. The registry tells its
 * forget listeners (the Redis tier removes the keys in its writer's order, alerting resolves the alert), so the
 * handler itself only takes the creation lock for a moment; it never blocks.
 *
 * <p>Stateless and thread-safe: one instance serves every connection.
 */
public final class DeleteSeriesHandler implements RouteHandler.Whole {
    private final SeriesRegistry registry;

    public DeleteSeriesHandler(SeriesRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void answer(Exchange ex) {
        Exchange.Query query = ex.query();
        if (query == null) {
            return; // answered 400
        }
        String source = query.first("source");
        String metric = query.first("metric");
        if (source == null || source.isEmpty()) {
            ex.error(HttpResponseStatus.BAD_REQUEST, "source is required: DELETE /series?source=S[&metric=M]");
            return;
        }
        if (registry.delete(source, metric) > 0) {
            // no Content-Length or body on a 204 (RFC 9110 8.6)
            ex.send(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NO_CONTENT));
        } else {
            ex.error(HttpResponseStatus.NOT_FOUND, metric == null
                    ? "unknown source \"" + source + "\""
                    : "source \"" + source + "\" has no metric \"" + metric + "\"");
        }
    }
}
