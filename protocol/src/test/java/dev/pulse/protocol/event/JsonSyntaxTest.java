package dev.pulse.protocol.event;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Malformed bodies through the decoder: the client reads one sentence, in its words, not Jackson's. */
class JsonSyntaxTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "{\"cpu\":NaN}                | NaN is not a JSON number: values must be finite numbers",
        "{\"cpu\":Infinity}           | Infinity is not a JSON number: values must be finite numbers",
        "{\"cpu\":-Infinity}          | -Infinity is not a JSON number: values must be finite numbers",
        "{\"cpu\":1                   | the JSON ends inside an object",
        "[{\"cpu\":1},                | the JSON ends before it is complete",
        "{\"source\":\"web            | the JSON ends before it is complete",
        "{\"cpu\":tru}                | unrecognized word 'tru' where a value should be",
        "{cpu:1}                      | unexpected character 'c' where a field name in double quotes should start",
        "{\"cpu\" 1}                  | unexpected character '1' where a colon should follow a field name",
        "{\"cpu\":1 \"rps\":2}        | unexpected character '\"' where a comma should separate two entries",
        "{\"cpu\":}                   | unexpected character '}' where a value should be",
        "{\"cpu\":1,}                 | unexpected character '}' where a field name in double quotes should start",
        "{\"cpu\":1.}                 | malformed number: decimal point not followed by a digit",
        "{\"cpu\":é}                  | unexpected non-ASCII character where only white space may stand between tokens",
        "{é:1}                        | unexpected non-ASCII character where a field name in double quotes should start",
        "{\"source\":\"a\\q\",\"cpu\":1} | invalid escape \\q inside a string",
        "{\"cpu\":+1}                 | malformed number: a number may not start with a plus sign",
        "{\"cpu\":-01}                | malformed number: leading zeroes are not allowed",
        "{\"cpu\":\"\\u12\"}           | unexpected character '\"' where a \\u escape needs four hex digits",
        "{\"cpu\":1}/                 | unexpected character '/': JSON has no comments",
        "{\"cpu\":1}}                 | unexpected '}' with nothing open to close",
        "[{\"cpu\":1}]]               | unexpected ']' with nothing open to close",
        "[{\"cpu\":1}}                | unexpected '}' where ']' should close the array",
    })
    void aMalformedBodyIsNamedInOneSentence(String body, String sentence) {
        assertEquals("malformed JSON: " + sentence, message(body.strip().getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aControlCharacterIsNamedByItsCode() {
        assertEquals("malformed JSON: control character 10 must be escaped inside a string",
                message("{\"source\":\"a\nb\",\"cpu\":1}".getBytes(StandardCharsets.UTF_8)));
        assertEquals("malformed JSON: control character 1 where only white space may stand between tokens",
                message("{\"cpu\":\u0001}".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void invalidUtf8IsNamedByItsByte() {
        byte[] body = {'{', '"', 's', 'o', 'u', 'r', 'c', 'e', '"', ':', '"', (byte) 0xff, '"', '}'};
        assertEquals("malformed JSON: invalid UTF-8 start byte 0xff", message(body));
    }

    /** Jackson's own message for {@code json}, from a blocking parser (as the OTLP JSON decoder reads). */
    private static String jackson(String json) throws IOException {
        try (JsonParser p = new JsonFactory().createParser(json)) {
            return assertThrows(JsonProcessingException.class, () -> {
                while (p.nextToken() != null) {
                    // to the error
                }
            }).getOriginalMessage();
        }
    }

    @Test
    void aLimitKeepsItsFiguresAndLosesTheSettingItComesFrom() throws IOException {
        String said = jackson("[".repeat(1001) + "]".repeat(1001));
        assertTrue(said.contains("`"), said);
        assertEquals("document nesting depth (1001) exceeds the maximum allowed (1000)", JsonSyntax.describe(said));
    }

    @Test
    void aWrongCloseIsNamedWithTheOneExpected() throws IOException {
        String said = jackson("{\"a\":[1}");
        assertTrue(said.contains("REDACTED"), said);
        assertEquals("unexpected '}' where ']' should close the array", JsonSyntax.describe(said));
        // The non-blocking parser's words where a close follows a whole value.
        assertEquals("unexpected ']' with no array open to close",
                JsonSyntax.describe("Unexpected close marker ']': no open Array to close"));
    }

    @Test
    void anOpenArrayIsNamed() throws IOException {
        String said = jackson("[1, 2");
        assertTrue(said.contains("REDACTED"), said);
        assertEquals("the JSON ends inside an array", JsonSyntax.describe(said));
    }

    @Test
    void aNonAsciiCharacterIsNamedAlikeByBothParsers() throws IOException {
        String said = jackson("{\u00e9:1}"); // the blocking parser decodes UTF-8: it names the character itself
        assertTrue(said.contains("233"), said);
        assertEquals("unexpected non-ASCII character where a field name in double quotes should start",
                JsonSyntax.describe(said));
    }

    @Test
    void noSentenceNamesJacksonOrItsSettings() {
        for (String body : new String[] {"{\"cpu\":NaN}", "{\"cpu\":1", "[{\"cpu\":1}", "[{\"cpu\":1},", "{\"cpu\":1 2}",
                "{\"cpu\":+1}", "[{\"cpu\":1}}", "#{}", "{\"cpu\":1}/"}) {
            String message = message(body.getBytes(StandardCharsets.UTF_8));
            assertFalse(message.contains("`") || message.contains("Source") || message.contains("REDACTED")
                    || message.contains("Feature") || message.contains("internal state"), message);
        }
    }

    private static String message(byte[] body) {
        EventDecoder d = new EventDecoder(new EventBatch());
        d.begin(BodyFormat.JSON);
        boolean ok = d.feed(body, 0, body.length) && d.finish();
        assertFalse(ok, "decoded: " + new String(body, StandardCharsets.UTF_8));
        assertEquals(DecodeError.MALFORMED, d.error());
        return d.message();
    }
}
