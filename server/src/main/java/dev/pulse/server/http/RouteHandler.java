package dev.pulse.server.http;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * Answers the requests of one {@link Route}. The {@link Router} has already checked path and method; the handler
 * sees the head, then every chunk of the body as it arrives (never aggregated), and answers through the
 * {@link Exchange}: at once, when the body ends, or later from another thread ({@link Exchange#later}).
 *
 * <p>The route table holds a factory per route; the router asks it for a handler the first time a connection uses
 * the route, and keeps that handler for the connection's life. So a handler may keep per-connection state (a
 * streaming decoder), and a stateless one may be a single shared instance. Every call comes on the connection's
 * event loop; none may block.
 */
public interface RouteHandler {
    /** A request's head arrived ({@link Exchange#request()}); answer now, or wait for the body. */
    void head(Exchange ex);

    /**
     * One chunk of the body, {@code last} on the final one (which may be empty). The chunk is released after this
     * returns: retain it to keep it. Not called once the request is answered: the rest of the body is discarded.
     */
    void content(Exchange ex, ByteBuf chunk, boolean last);

    /** A request arrived while the server drains: by default a 503 that sends the client to another replica. */
    default void draining(Exchange ex) {
        ex.error(HttpResponseStatus.SERVICE_UNAVAILABLE, "the server is shutting down; retry on another replica");
    }

    /** A request to a route that needs the access token came without it: by default a 401 that asks for it. */
    default void unauthorized(Exchange ex) {
        ex.send(BearerAuth.refusal(ex));
    }

    /** The connection closed: release what this handler holds for it. */
    default void close() {
    }

    /** A route whose body is ignored and whose answer is written once the request has been read whole (GETs). */
    interface Whole extends RouteHandler {
        /** Answers the request; its body, if any, has been read and discarded. */
        void answer(Exchange ex);

        @Override
        default void head(Exchange ex) {
        }

        @Override
        default void content(Exchange ex, ByteBuf chunk, boolean last) {
            if (last) {
                answer(ex);
            }
        }
    }
}
