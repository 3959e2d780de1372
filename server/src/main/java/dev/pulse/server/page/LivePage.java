package dev.pulse.server.page;

import dev.pulse.server.http.Exchange;
import dev.pulse.server.http.RouteHandler;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.AsciiString;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * {@code GET /}: the live page, one self-contained HTML file on the class path ({@code pulse/index.html}: no
 * external script, style or font, so it works where there is no internet). It polls {@code /analyze?source=*} and
 * {@code /anomalies} from the browser. Read once at start-up; stateless, one instance serves every connection.
 */
public final class LivePage implements RouteHandler.Whole {
    static final String RESOURCE = "/pulse/index.html";
    private static final AsciiString HTML = AsciiString.cached("text/html; charset=utf-8");

    private final byte[] html;

    public LivePage() {
        try (InputStream in = LivePage.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the class path");
            }
            html = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void answer(Exchange ex) {
        ex.reply(HttpResponseStatus.OK, HTML, ex.alloc().buffer(html.length).writeBytes(html));
    }
}
