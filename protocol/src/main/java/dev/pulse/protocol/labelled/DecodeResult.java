package dev.pulse.protocol.labelled;

/** The outcome of decoding a remote-write or OTLP body; a failure's text is the decoder's {@code message()}. */
public enum DecodeResult {
    /** Decoded into the batch (some samples may have been refused and counted). */
    OK,
    /** Not valid compression, protobuf or JSON of the expected message: the client should not retry. */
    MALFORMED,
    /** The body would decompress to more than the configured limit; nothing was allocated for it. */
    TOO_LARGE
}
