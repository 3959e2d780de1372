package dev.pulse.protocol.event;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.async.ByteArrayFeeder;
import io.netty.buffer.ByteBuf;

import java.io.IOException;

/**
 * Streaming decoder of ingest bodies into a reusable {@link EventBatch} of primitives, chunk by chunk as they arrive.
 * A JSON object, a JSON array of objects and NDJSON all run through the same two paths:
 * <ul>
 *   <li>the fast path scans the bytes itself between events and hands each event to a {@link FlatEventScanner},
 *       which reads the flat events clients send; an event cut by the end of a chunk is carried over (its bytes
 *       only, never the body's) and finished when the next chunk comes;</li>
 *   <li>at the first thing it does not take (an escape, an exotic number, nesting, any error) the rest of the body
 *       goes to jackson-core's non-blocking parser, from the start of the event in hand, whose tokens drive the
 *       state machine below. It decides every error, so both paths refuse the same bodies for the same reasons, and
 *       wherever the body is cut ({@link HeldTail} hands it whole what its parser judged differently across chunks);
 *       a 0xFF byte is refused before it reads one ({@link JacksonNameTable}).</li>
 * </ul>
 *
 * <p>Cost: nothing per event once the batch's arrays have grown to the request size, and no parser per request
 * unless the body needs jackson. A direct chunk is copied through a reusable scratch array, a heap chunk is read in
 * place.
 *
 * <p>Bad input is a result, not an exception: {@link #feed} and {@link #finish} return {@code false} and
 * {@link #error()}, {@link #message()}, {@link #errorIndex()} and {@link #errorOffset()} say why and where.
 *
 * <p>Not thread-safe: one instance per connection, used on its event loop.
 */
public final class EventDecoder {
    /** Most fields one event may carry (metrics plus timestamp and source); bounds the duplicate check. */
    public static final int MAX_FIELDS_PER_EVENT = 256;

    private static final int SCRATCH_BYTES = 16 * 1024;
    private static final String TIMESTAMP = "timestamp";
    private static final String SOURCE = "source";
    /** The refusal of a 0xFF byte, which jackson may miss ({@link JacksonNameTable}), in its words. */
    private static final String INVALID_FF = "malformed JSON: invalid UTF-8 start byte 0xff";

    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
            .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
            .disable(JsonFactory.Feature.INTERN_FIELD_NAMES)
            .build();

    private enum State {
        /** Before the body's first value, or between NDJSON lines. */
        ROOT,
        /** Inside the top-level array, expecting an event or its end. */
        ARRAY,
        /** Inside an event, expecting a field name or the event's end. */
        FIELD,
        /** After a field name, expecting its value. */
        VALUE,
        /** A JSON body's single value is complete: only whitespace may follow. */
        DONE,
        /** Refused; further input is ignored. */
        FAILED
    }

    /** What a field name is: remembered per name instance, since the parser hands out canonical names. */
    private static final byte KIND_TIMESTAMP = 1;
    private static final byte KIND_SOURCE = 2;
    private static final byte KIND_METRIC = 3;
    private static final byte KIND_BAD_NAME = 4;
    private static final int KIND_CACHE_SIZE = 64;

    /** The fast path's position between events: what it expects next. */
    private enum Fast {
        /** Before the body's value, or between NDJSON lines. */
        ROOT,
        /** After a JSON array's {@code [}: an event or {@code ]}. */
        ARRAY_FIRST,
        /** After an event in an array: {@code ,} or {@code ]}. */
        ARRAY_NEXT,
        /** After a {@code ,} in an array: an event. */
        ARRAY_ELEMENT,
        /** The JSON value is complete: only whitespace may follow. */
        DONE,
        /** Inside an event cut by a chunk's end: its bytes so far are in the carry. */
        EVENT,
        /** Off: jackson has the body. */
        OFF
    }

    /** Longest event carried over a chunk boundary on the fast path; a longer one goes to jackson. */
    private static final int MAX_CARRY = 64 * 1024;
    /** An event cut by a chunk's end is tried at each {@code '}'} that follows, this many times at most. */
    private static final int MAX_CARRY_ATTEMPTS = 8;
    private static final byte[] NONE = {};
    private static final byte[] SPACE = {' '}; // past the body's start: jackson must not take a BOM there
    private static final byte[] OPEN_ARRAY = {'['};
    private static final byte[] AFTER_ELEMENT = {'[', '0', ' '};
    private static final byte[] AFTER_COMMA = {'[', '0', ','};

    private final EventBatch batch;
    private final boolean fastPath;
    private final FlatEventScanner scanner;
    private final byte[] scratch = new byte[SCRATCH_BYTES];
    private final String[] kindNames = new String[KIND_CACHE_SIZE]; // owned by the connection's event loop
    private final byte[] kinds = new byte[KIND_CACHE_SIZE];          // owned by the connection's event loop
    private final HeldTail heldTail = new HeldTail();

    // All fields below: owned by the connection's event loop.
    private Fast fast;
    private Fast eventIn;         // where the carried event sits: ARRAY_ELEMENT (in an array) or ROOT
    private byte[] carry = new byte[256];
    private int carryLength;
    private int carryAttempts;
    private long carryOffset;     // the body offset of the carry's first byte
    private long fed;             // body bytes fed before the current chunk
    private long base;            // the body offset of jackson's byte 0 (negative by a prefix it was given)
    private long handed;          // bytes handed to jackson, the prefix included: the next one's place in its input
    private JsonParser parser;
    private ByteArrayFeeder feeder;
    private BodyFormat format;
    private State state;
    private boolean batchBody;
    private String field;
    private byte fieldKind;
    private boolean sawTimestamp;
    private boolean sawSource;
    private int fieldsInEvent;
    private DecodeError error;
    private String message;
    private int errorIndex;
    private long errorOffset;

    public EventDecoder(EventBatch batch) {
        this(batch, true);
    }

    /** A decoder whose every body goes to jackson: the reference the fast path is tested and measured against. */
    public static EventDecoder jacksonOnly(EventBatch batch) {
        return new EventDecoder(batch, false);
    }

    private EventDecoder(EventBatch batch, boolean fastPath) {
        this.batch = batch;
        this.fastPath = fastPath;
        this.scanner = new FlatEventScanner(batch);
    }

    public EventBatch batch() {
        return batch;
    }

    /** Starts a new body, discarding what the previous one left. */
    public void begin(BodyFormat format) {
        closeParser();
        this.format = format;
        state = State.ROOT;
        fast = Fast.ROOT;
        carryLength = 0;
        fed = 0;
        base = 0;
        if (carry.length > MAX_CARRY) {
            carry = new byte[256];
        }
        if (!fastPath) {
            toJackson(Fast.ROOT, NONE);
        }
        batchBody = false;
        error = null;
        message = null;
        errorIndex = 0;
        errorOffset = -1;
        batch.clear();
    }

    /** Feeds a chunk (its readable bytes, which are not consumed). Returns false once the body is refused. */
    public boolean feed(ByteBuf chunk) {
        if (state == State.FAILED) {
            return false;
        }
        int index = chunk.readerIndex();
        int remaining = chunk.readableBytes();
        if (chunk.hasArray()) {
            return feed(chunk.array(), chunk.arrayOffset() + index, remaining);
        }
        while (remaining > 0) {
            int n = Math.min(remaining, scratch.length);
            chunk.getBytes(index, scratch, 0, n);
            if (!feed(scratch, 0, n)) {
                return false;
            }
            index += n;
            remaining -= n;
        }
        return true;
    }

    /** Feeds {@code length} bytes of {@code bytes} from {@code offset}. Returns false once the body is refused. */
    public boolean feed(byte[] bytes, int offset, int length) {
        if (state == State.FAILED) {
            return false;
        }
        if (length == 0) {
            return true;
        }
        if (fast != Fast.OFF) {
            boolean ok = scan(bytes, offset, offset + length);
            fed += length;
            return ok;
        }
        fed += length;
        return jackson(bytes, offset, length);
    }

    private boolean jackson(byte[] bytes, int offset, int length) {
        if (length == 0) {
            return true;
        }
        int invalid = JacksonNameTable.firstFF(bytes, offset, offset + length);
        long start = handed;
        handed += length;
        try {
            // what precedes a 0xFF byte first: an error there comes first
            if (!feedJackson(bytes, offset, invalid < 0 ? offset + length : invalid) || invalid >= 0 && !feedHeld()) {
                return false;
            }
        } catch (IOException | RuntimeException e) {
            return malformed(e);
        }
        return invalid < 0 || fail(DecodeError.MALFORMED, INVALID_FF, base + start + (invalid - offset));
    }

    /** Feeds {@code b[from, to)} to jackson and reads its tokens, holding back a tail it must read whole. */
    private boolean feedJackson(byte[] b, int from, int to) throws IOException {
        if (!heldTail.isEmpty()) {
            int rest = heldTail.complete(b, from, to);
            if (rest < 0) {
                return true; // the tail runs on
            }
            if (!feedHeld()) {
                return false;
            }
            from = rest;
        }
        int tail = HeldTail.tailStart(b, from, to);
        if (tail > from && !feedAndDrain(b, from, tail)) {
            return false;
        }
        heldTail.hold(b, tail, to);
        return true;
    }

    /** Feeds what {@link HeldTail} holds, if anything. */
    private boolean feedHeld() throws IOException {
        if (heldTail.isEmpty()) {
            return true;
        }
        boolean ok = feedAndDrain(heldTail.bytes(), 0, heldTail.length());
        heldTail.clear();
        return ok;
    }

    private boolean feedAndDrain(byte[] b, int from, int to) throws IOException {
        feeder.feedInput(b, from, to);
        return drain();
    }

    /** The fast path over {@code b[i, end)}, which starts at body offset {@link #fed}. */
    private boolean scan(byte[] b, int i, int end) {
        int chunkStart = i;
        if (fast == Fast.EVENT) {
            i = carried(b, i, end, chunkStart);
            if (i < 0) {
                return state != State.FAILED;
            }
        }
        while (true) {
            i = FlatEventScanner.skipSpace(b, i, end);
            if (i >= end) {
                return true;
            }
            byte c = b[i];
            switch (fast) {
                case ROOT:
                    if (c == '{') {
                        batchBody |= format == BodyFormat.NDJSON;
                        break;
                    }
                    if (c == '[' && format == BodyFormat.JSON) {
                        batchBody = true;
                        fast = Fast.ARRAY_FIRST;
                        i++;
                        continue;
                    }
                    return fallback(null, b, i, end, chunkStart);
                case ARRAY_FIRST:
                    if (c == ']') {
                        fast = Fast.DONE;
                        i++;
                        continue;
                    }
                    if (c == '{') {
                        break;
                    }
                    return fallback(null, b, i, end, chunkStart);
                case ARRAY_NEXT:
                    if (c == ',' || c == ']') {
                        fast = c == ',' ? Fast.ARRAY_ELEMENT : Fast.DONE;
                        i++;
                        continue;
                    }
                    return fallback(null, b, i, end, chunkStart);
                case ARRAY_ELEMENT:
                    if (c == '{') {
                        break;
                    }
                    return fallback(null, b, i, end, chunkStart);
                default: // DONE
                    return fallback(null, b, i, end, chunkStart);
            }
            int r = scanner.event(b, i, end);
            // the next event right after this one (",{" in an array, "\n{" in NDJSON) is read without the state machine
            while (r >= 0 && r + 1 < end && b[r + 1] == '{' && batchBody
                    && (format == BodyFormat.JSON ? b[r] == ',' : b[r] == '\n')) {
                fast = format == BodyFormat.JSON ? Fast.ARRAY_ELEMENT : Fast.ROOT;
                i = r + 1;
                r = scanner.event(b, i, end);
            }
            if (r >= 0) {
                i = r;
                fast = afterEvent();
            } else if (r == FlatEventScanner.NEED_MORE && end - i <= MAX_CARRY) {
                eventIn = fast == Fast.ROOT ? Fast.ROOT : Fast.ARRAY_ELEMENT;
                fast = Fast.EVENT;
                carryOffset = fed + (i - chunkStart);
                carryLength = 0;
                carryAttempts = 0;
                append(b, i, end);
                return true;
            } else {
                return fallback(null, b, i, end, chunkStart);
            }
        }
    }

    /**
     * Continues the carried event with {@code b[i, end)}: adds bytes up to each {@code '}'} and tries the event
     * again. Returns where the fast path goes on in {@code b}, or -1 when this chunk is consumed (the event still
     * open, or jackson has taken over).
     */
    private int carried(byte[] b, int i, int end, int chunkStart) {
        while (true) {
            int close = i;
            while (close < end && b[close] != '}') {
                close++;
            }
            int upto = close < end ? close + 1 : end;
            if (carryLength + (upto - i) > MAX_CARRY || carryAttempts >= MAX_CARRY_ATTEMPTS) {
                fallback(carryBytes(), b, i, end, chunkStart);
                return -1;
            }
            append(b, i, upto);
            i = upto;
            if (close == end) {
                return -1;
            }
            carryAttempts++;
            int r = scanner.event(carry, 0, carryLength);
            if (r >= 0) {
                i -= carryLength - r; // (the event ends at the '}' just added, so nothing is given back)
                carryLength = 0;
                fast = afterEvent();
                return i;
            }
            if (r == FlatEventScanner.UNUSUAL) {
                fallback(carryBytes(), b, i, end, chunkStart);
                return -1;
            }
        }
    }

    private Fast afterEvent() {
        return format == BodyFormat.NDJSON ? Fast.ROOT : batchBody ? Fast.ARRAY_NEXT : Fast.DONE;
    }

    private void append(byte[] b, int from, int to) {
        int n = to - from;
        if (carryLength + n > carry.length) {
            carry = java.util.Arrays.copyOf(carry, Math.max(carry.length * 2, carryLength + n));
        }
        System.arraycopy(b, from, carry, carryLength, n);
        carryLength += n;
    }

    private byte[] carryBytes() {
        return java.util.Arrays.copyOf(carry, carryLength);
    }

    /**
     * Hands the rest of the body to jackson, from where the fast path stands: the carried event's bytes (when
     * {@code carried} is not null) and then {@code b[i, end)}. Returns what jackson makes of them.
     */
    private boolean fallback(byte[] carried, byte[] b, int i, int end, int chunkStart) {
        long at = carried != null ? carryOffset : fed + (i - chunkStart);
        Fast where = fast == Fast.EVENT ? eventIn : fast;
        byte[] prefix = where == Fast.ROOT || where == Fast.DONE ? (at == 0 ? NONE : SPACE)
                : where == Fast.ARRAY_FIRST ? OPEN_ARRAY : where == Fast.ARRAY_NEXT ? AFTER_ELEMENT : AFTER_COMMA;
        toJackson(where, prefix);
        base = at - prefix.length;
        if (carried != null && !jackson(carried, 0, carried.length)) {
            return false;
        }
        return jackson(b, i, end - i);
    }

    /**
     * Starts jackson in the state the fast path was in ({@code where}), first giving it {@code prefix}, the bytes
     * that put its own parser in the same place, and reading their tokens: inside an array the {@code [} and an
     * element standing for those already read.
     */
    private void toJackson(Fast where, byte[] prefix) {
        fast = Fast.OFF;
        try {
            parser = JSON.createNonBlockingByteArrayParser();
            feeder = (ByteArrayFeeder) parser.getNonBlockingInputFeeder();
            heldTail.clear();
            handed = prefix.length;
            if (prefix.length > 0) {
                feeder.feedInput(prefix, 0, prefix.length);
                JsonToken t;
                do { // read, not decoded: the prefix's tokens stand for what the fast path has read
                    t = parser.nextToken();
                } while (t != null && t != JsonToken.NOT_AVAILABLE);
            }
            state = where == Fast.ROOT ? State.ROOT : where == Fast.DONE ? State.DONE : State.ARRAY;
        } catch (IOException e) {
            throw new IllegalStateException("cannot create a JSON parser", e);
        }
    }

    /** Ends the body. Returns true when it held a complete, valid event or batch. */
    public boolean finish() {
        if (state == State.FAILED) {
            return false;
        }
        if (fast == Fast.EVENT || fast == Fast.ARRAY_FIRST || fast == Fast.ARRAY_NEXT || fast == Fast.ARRAY_ELEMENT) {
            // the body ends inside a value: jackson words it
            if (!fallback(fast == Fast.EVENT ? carryBytes() : null, carry, 0, 0, 0)) {
                return false;
            }
        }
        if (fast == Fast.ROOT || fast == Fast.DONE) {
            if (batch.size() == 0) {
                String why = fast == Fast.ROOT && format == BodyFormat.JSON ? "the body is empty" : "the batch holds no events";
                return fail(DecodeError.EMPTY_BATCH, why, -1);
            }
            return true;
        }
        try {
            if (!feedHeld()) {
                return false;
            }
            feeder.endOfInput();
            if (!drain()) {
                return false;
            }
        } catch (IOException | RuntimeException e) {
            return malformed(e);
        }
        if (state != State.DONE && state != State.ROOT) {
            return fail(DecodeError.MALFORMED, "the body ends in the middle of a JSON value", currentOffset());
        }
        if (batch.size() == 0) {
            String why = state == State.ROOT && format == BodyFormat.JSON ? "the body is empty" : "the batch holds no events";
            return fail(DecodeError.EMPTY_BATCH, why, -1);
        }
        closeParser();
        return true;
    }

    /** Gives back the parser of an unfinished body (the connection closed mid-request). */
    public void release() {
        closeParser();
        state = State.FAILED;
        fast = Fast.OFF;
    }

    public DecodeError error() {
        return error;
    }

    /** One clear sentence saying what is wrong. */
    public String message() {
        return message;
    }

    /** The 0-based position of the first bad event in the request. */
    public int errorIndex() {
        return errorIndex;
    }

    /** The 0-based byte offset where parsing failed, or -1 when the error is not a parse error. */
    public long errorOffset() {
        return errorOffset;
    }

    private boolean drain() throws IOException {
        JsonToken token;
        while ((token = parser.nextToken()) != null && token != JsonToken.NOT_AVAILABLE) {
            if (!onToken(token)) {
                return false;
            }
        }
        return true;
    }

    private boolean onToken(JsonToken token) throws IOException {
        switch (state) {
            case ROOT:
                if (token == JsonToken.START_OBJECT) {
                    if (format == BodyFormat.NDJSON) {
                        batchBody = true;
                    }
                    return beginEvent();
                }
                if (token == JsonToken.START_ARRAY && format == BodyFormat.JSON) {
                    batchBody = true;
                    state = State.ARRAY;
                    return true;
                }
                return format == BodyFormat.JSON
                        ? fail(DecodeError.WRONG_TYPE, "the body must be an event object or an array of event objects", tokenOffset())
                        : fail(DecodeError.WRONG_TYPE, "each NDJSON line must be an event object", tokenOffset());
            case ARRAY:
                if (token == JsonToken.START_OBJECT) {
                    return beginEvent();
                }
                if (token == JsonToken.END_ARRAY) {
                    state = State.DONE;
                    return true;
                }
                return fail(DecodeError.WRONG_TYPE, "each element of the batch must be an event object", tokenOffset());
            case FIELD:
                if (token == JsonToken.END_OBJECT) {
                    return endEvent();
                }
                return onFieldName(parser.currentName());
            case VALUE:
                state = State.FIELD;
                return onValue(token);
            case DONE:
                return fail(DecodeError.MALFORMED, "unexpected data after the JSON value", tokenOffset());
            default:
                return false;
        }
    }

    private boolean beginEvent() {
        batch.beginEvent();
        sawTimestamp = false;
        sawSource = false;
        fieldsInEvent = 0;
        state = State.FIELD;
        return true;
    }

    private boolean endEvent() {
        if (batch.currentMetricCount() == 0) {
            return fail(DecodeError.NO_METRIC, "an event must carry at least one metric", -1);
        }
        batch.endEvent();
        state = format == BodyFormat.JSON && batchBody ? State.ARRAY : (format == BodyFormat.JSON ? State.DONE : State.ROOT);
        return true;
    }

    private boolean onFieldName(String name) {
        if (++fieldsInEvent > MAX_FIELDS_PER_EVENT) {
            return fail(DecodeError.WRONG_TYPE, "an event may carry at most " + MAX_FIELDS_PER_EVENT + " fields", -1);
        }
        byte kind = kindOf(name);
        if (kind == KIND_TIMESTAMP) {
            if (sawTimestamp) {
                return duplicate(name);
            }
            sawTimestamp = true;
        } else if (kind == KIND_SOURCE) {
            if (sawSource) {
                return duplicate(name);
            }
            sawSource = true;
        } else if (kind == KIND_BAD_NAME) {
            return fail(DecodeError.BAD_NAME,
                    "metric name \"" + printable(name) + "\" must be 1-64 characters of A-Z a-z 0-9 _", -1);
        } else if (batch.hasMetric(name)) {
            return duplicate(name);
        }
        field = name;
        fieldKind = kind;
        state = State.VALUE;
        return true;
    }

    /** The kind of a field name, from a small identity cache in front of the string comparisons. */
    private byte kindOf(String name) {
        int slot = System.identityHashCode(name) & (KIND_CACHE_SIZE - 1);
        if (kindNames[slot] == name) {
            return kinds[slot];
        }
        byte kind = TIMESTAMP.equals(name) ? KIND_TIMESTAMP
                : SOURCE.equals(name) ? KIND_SOURCE
                : Names.isValidMetric(name) ? KIND_METRIC : KIND_BAD_NAME;
        kindNames[slot] = name;
        kinds[slot] = kind;
        return kind;
    }

    private boolean onValue(JsonToken token) throws IOException {
        String name = field;
        if (fieldKind == KIND_TIMESTAMP) {
            if (token == JsonToken.VALUE_NULL) {
                return true;
            }
            if (!token.isNumeric()) {
                return fail(DecodeError.WRONG_TYPE, "field \"timestamp\" must be a number of epoch seconds", -1);
            }
            double t = number(token);
            if (!Double.isFinite(t)) {
                return fail(DecodeError.NOT_FINITE, "field \"timestamp\" must be a finite number", -1);
            }
            batch.setTimestamp(t);
            return true;
        }
        if (fieldKind == KIND_SOURCE) {
            if (token != JsonToken.VALUE_STRING) {
                return fail(DecodeError.WRONG_TYPE, "field \"source\" must be a string", -1);
            }
            char[] chars = parser.getTextCharacters();
            int offset = parser.getTextOffset();
            int length = parser.getTextLength();
            if (!Names.isValidSource(chars, offset, length)) {
                return fail(DecodeError.BAD_NAME, "source must be 1-128 characters of A-Z a-z 0-9 _ . : -", -1);
            }
            batch.setSource(chars, offset, length);
            return true;
        }
        if (!token.isNumeric()) {
            return fail(DecodeError.WRONG_TYPE, "field \"" + name + "\" must be a number, not " + describe(token), -1);
        }
        double value = number(token);
        if (!Double.isFinite(value)) {
            return fail(DecodeError.NOT_FINITE, "field \"" + name + "\" must be a finite number", -1);
        }
        batch.addMetric(name, value);
        return true;
    }

    private double number(JsonToken token) throws IOException {
        double fast = DecimalParser.parse(parser.getTextCharacters(), parser.getTextOffset(), parser.getTextLength());
        if (fast == fast) {
            return fast;
        }
        if (token == JsonToken.VALUE_NUMBER_INT) {
            JsonParser.NumberType type = parser.getNumberType();
            if (type == JsonParser.NumberType.INT || type == JsonParser.NumberType.LONG) {
                return parser.getLongValue();
            }
        }
        return parser.getDoubleValue();
    }

    private boolean duplicate(String name) {
        return fail(DecodeError.DUPLICATE_FIELD, "field \"" + printable(name) + "\" appears twice in one event", -1);
    }

    private boolean malformed(Exception e) {
        long offset = currentOffset();
        String why = e.getMessage();
        if (e instanceof JsonProcessingException j) {
            why = j.getOriginalMessage();
            offset = JsonSyntax.isAboutAToken(why) ? tokenOffset()
                    : j.getLocation() != null ? base + j.getLocation().getByteOffset() : offset;
        }
        return fail(DecodeError.MALFORMED, "malformed JSON: " + JsonSyntax.describe(why), Math.max(0, offset));
    }

    private boolean fail(DecodeError reason, String why, long offset) {
        error = reason;
        message = why;
        errorIndex = format == BodyFormat.JSON && !batchBody ? 0 : batch.size(); // a single event's index is 0
        errorOffset = offset;
        state = State.FAILED;
        closeParser();
        return false;
    }

    /**
     * Where the token jackson is reading or has just read starts: the non-blocking parser places a token one byte past
     * its first one (it has consumed that byte when it notes the location).
     */
    private long tokenOffset() {
        return Math.max(0, base + parser.currentTokenLocation().getByteOffset() - 1);
    }

    private long currentOffset() {
        return parser == null ? -1 : base + parser.currentLocation().getByteOffset();
    }

    private void closeParser() {
        if (parser != null) {
            try {
                parser.close();
            } catch (IOException ignored) {
                // a non-blocking parser over arrays holds no resource that can fail to close
            }
            parser = null;
            feeder = null;
        }
    }

    private static String describe(JsonToken token) {
        return switch (token) {
            case VALUE_STRING -> "a string";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            default -> "a " + token.name().toLowerCase();
        };
    }

    /** Names echoed in errors are cut short and stripped of control characters. */
    private static String printable(String s) {
        StringBuilder b = new StringBuilder(Math.min(s.length(), 64));
        for (int i = 0; i < s.length() && b.length() < 64; i++) {
            char c = s.charAt(i);
            b.append(c < 0x20 || c == '"' || c == '\\' ? '?' : c);
        }
        return b.toString();
    }
}
