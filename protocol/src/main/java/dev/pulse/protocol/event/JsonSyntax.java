package dev.pulse.protocol.event;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Jackson's parse errors as one sentence for a client: Jackson's messages name its own features and settings
 * ("enable `JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS` to allow") and notes on its input source ("[Source:
 * REDACTED ...]"), which mean nothing to someone posting metrics. The offset is answered beside the sentence, so
 * none of them carries a location. Stateless.
 */
public final class JsonSyntax {
    private static final Pattern NON_NUMERIC = Pattern.compile("^Non-standard token '([^']*)'");
    /** An unexpected character, its code, and what follows. */
    private static final Pattern CHARACTER =
            Pattern.compile("^(?:Unexpected|Illegal) character \\('(.+?)' \\(code (\\d+)[^)]*\\)\\)(.*)");
    private static final Pattern CONTROL = Pattern.compile("\\(\\(CTRL-CHAR, code (\\d+)\\)\\)");
    private static final Pattern TOKEN = Pattern.compile("^Unrecognized token '([^']*)'");
    private static final Pattern ESCAPE = Pattern.compile("^Unrecognized character escape '(.)'");
    /** A closing bracket that closes nothing, or the wrong container: what it expected and for what. */
    private static final Pattern CLOSE = Pattern.compile("^Unexpected close marker '(.)': "
            + "(?:expected '(.)' \\(for (Array|Object|root)|no open (Array|Object) to close)");
    private static final Pattern NUMBER = Pattern.compile("^Invalid numeric value: (.*)");
    /** A feature Jackson suggests turning on, e.g. ": enable `JsonReadFeature.ALLOW_...` to allow". */
    private static final Pattern ENABLE = Pattern.compile(": enable `[^`]*` to allow");
    /** The setting a limit comes from, e.g. ", from `StreamReadConstraints.getMaxNumberLength()`". */
    private static final Pattern SETTING = Pattern.compile(", from `[^`]*`");
    /** Jackson's notes on where a container started: " (start marker at ...)", " (for Array starting at ...)". */
    private static final Pattern NOTES = Pattern.compile(" \\((?:start marker|for ).*");

    private JsonSyntax() {
    }

    /** What is wrong, for Jackson's {@code getOriginalMessage()} (null: "unreadable input"). */
    public static String describe(String jackson) {
        if (jackson == null || jackson.isBlank()) {
            return "unreadable input";
        }
        String m = firstLine(jackson);
        Matcher x;
        if ((x = NON_NUMERIC.matcher(m)).find()) {
            return x.group(1) + " is not a JSON number: values must be finite numbers";
        }
        if (m.startsWith("Unexpected end-of-input")) {
            // The streaming parser names the open container only at its close; inside a token it names its state.
            return m.contains("for Array") ? "the JSON ends inside an array"
                    : m.contains("for Object") ? "the JSON ends inside an object"
                    : "the JSON ends before it is complete";
        }
        if ((x = CONTROL.matcher(m)).find()) {
            return "control character " + x.group(1) + (m.startsWith("Illegal unquoted")
                    ? " must be escaped inside a string" : " where only white space may stand between tokens");
        }
        if ((x = CHARACTER.matcher(m)).find()) {
            String rest = x.group(3);
            if (rest.startsWith(" in numeric value: ")) {
                return "malformed number: " + (rest.contains("plus sign") ? "a number may not start with a plus sign"
                        : lowerFirst(ENABLE.matcher(rest.substring(" in numeric value: ".length())).replaceAll("")));
            }
            int code = Integer.parseInt(x.group(2));
            // Past ASCII the streaming parser shows one byte of the UTF-8 sequence as if it were a character.
            String what = code < 128 ? "character '" + x.group(1) + "'" : "non-ASCII character";
            return "unexpected " + what + (m.startsWith("Illegal")
                    ? " where only white space may stand between tokens" : where(m));
        }
        if ((x = TOKEN.matcher(m)).find()) {
            return "unrecognized word '" + x.group(1) + "' where a value should be";
        }
        if ((x = ESCAPE.matcher(m)).find()) {
            return "invalid escape \\" + x.group(1) + " inside a string";
        }
        if ((x = CLOSE.matcher(m)).find()) {
            String close = "unexpected '" + x.group(1) + "'";
            return x.group(4) != null ? close + " with no " + lower(x.group(4)) + " open to close"
                    : x.group(3).equals("root") ? close + " with nothing open to close"
                    : close + " where '" + x.group(2) + "' should close the " + lower(x.group(3));
        }
        if ((x = NUMBER.matcher(m)).find()) {
            return "malformed number: " + lowerFirst(x.group(1)).replace(" not allowed", " are not allowed");
        }
        // Anything else loses Jackson's notes on where a container started, what to enable and which setting limits.
        String said = NOTES.matcher(m).replaceFirst("");
        return lowerFirst(SETTING.matcher(ENABLE.matcher(said).replaceAll("")).replaceAll(""));
    }

    /**
     * Whether the error is about a whole token (a word that is not one, a malformed number, NaN): Jackson reports
     * those where it stopped reading the token, a client looks for where the token starts.
     */
    public static boolean isAboutAToken(String jackson) {
        if (jackson == null) {
            return false;
        }
        String m = firstLine(jackson);
        Matcher x = CHARACTER.matcher(m);
        return NON_NUMERIC.matcher(m).find() || TOKEN.matcher(m).find() || NUMBER.matcher(m).find()
                || x.find() && x.group(3).startsWith(" in numeric value: ");
    }

    /** The sentence's first letter in lower case, unless it starts a word in capitals ("JSON"). */
    private static String lowerFirst(String s) {
        return s.isEmpty() || s.length() > 1 && Character.isUpperCase(s.charAt(1)) ? s
                : Character.toLowerCase(s.charAt(0)) + s.substring(1);
    }

    private static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }

    /** Where an unexpected character stands, from what Jackson was expecting instead. */
    private static String where(String m) {
        if (m.contains("double-quote to start field name")) {
            return " where a field name in double quotes should start";
        }
        if (m.contains("colon")) {
            return " where a colon should follow a field name";
        }
        if (m.contains("comma")) {
            return " where a comma should separate two entries";
        }
        if (m.contains("expected a value") || m.contains("expected a valid value")) {
            return " where a value should be";
        }
        if (m.contains("hex-digit")) {
            return " where a \\u escape needs four hex digits";
        }
        if (m.contains("comment")) {
            return ": JSON has no comments";
        }
        return "";
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
