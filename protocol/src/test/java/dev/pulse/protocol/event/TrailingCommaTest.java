package dev.pulse.protocol.event;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

class TrailingCommaTest {

    /** Where the first '}' after a comma is, with the bytes fed in two chunks cut at {@code split}; -1: none. */
    private static long find(String json, int split) {
        byte[] b = json.getBytes(StandardCharsets.UTF_8);
        TrailingComma t = new TrailingComma();
        t.reset();
        int at = t.find(b, 0, split);
        if (at < 0) {
            at = t.find(b, split, b.length);
        }
        return at < 0 ? -1 : t.seen();
    }

    private static void assertAtEverySplit(long expected, String json) {
        for (int split = 0; split <= json.length(); split++) {
            assertEquals(expected, find(json, split), json + " split at " + split);
        }
    }

    @Test
    void findsTheBraceThatClosesAnObjectAfterAComma() {
        assertAtEverySplit(9, "{\"cpu\":1,}");
        assertAtEverySplit(13, "{\"cpu\":1, \r\n\t}");
        assertAtEverySplit(20, "[{\"cpu\":1},{\"rps\":2,}]");
    }

    @Test
    void passesWellFormedJsonAndCommasInsideStrings() {
        assertAtEverySplit(-1, "[{\"cpu\":1,\"rps\":2},{\"cpu\":3}]");
        assertAtEverySplit(-1, "{\"s\":\",}\",\"cpu\":1}");
        assertAtEverySplit(-1, "{\"s\":\"\\\\\",\"t\":\"\\\",}\"}"); // an escaped backslash ends; an escaped quote does not
        assertAtEverySplit(-1, "[1,2,]"); // an array's trailing comma is jackson's to refuse, at any split
    }
}
