package dev.pulse.perf.nab;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads NAB's {@code labels/combined_windows.json}: {@code {"<category>/<file>.csv": [[start, end], ...]}}, each edge
 * a timestamp such as {@code 2014-04-10 07:15:00.000000}.
 */
final class LabelWindows {
    private LabelWindows() {
    }

    /** File name to its windows, each as {@code {startEpochSecond, endEpochSecond}}. */
    static Map<String, long[][]> read(Path json) throws IOException {
        Map<String, long[][]> out = new LinkedHashMap<>();
        try (InputStream in = Files.newInputStream(json);
             JsonParser p = new JsonFactory().createParser(in)) {
            expect(p.nextToken(), JsonToken.START_OBJECT, json);
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String file = p.currentName();
                expect(p.nextToken(), JsonToken.START_ARRAY, json);
                List<long[]> windows = new ArrayList<>();
                while (p.nextToken() == JsonToken.START_ARRAY) {
                    expect(p.nextToken(), JsonToken.VALUE_STRING, json);
                    long start = NabFile.epochSecond(p.getText());
                    expect(p.nextToken(), JsonToken.VALUE_STRING, json);
                    long end = NabFile.epochSecond(p.getText());
                    expect(p.nextToken(), JsonToken.END_ARRAY, json);
                    windows.add(new long[] {start, end});
                }
                out.put(file, windows.toArray(new long[0][]));
            }
        }
        return out;
    }

    private static void expect(JsonToken got, JsonToken want, Path json) throws IOException {
        if (got != want) {
            throw new IOException(json.getFileName() + ": expected " + want + ", found " + got);
        }
    }
}
