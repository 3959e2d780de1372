package dev.pulse.protocol.labelled;

import dev.pulse.protocol.labelled.LabelledBatch;
import dev.pulse.protocol.labelled.Skip;

/** Describes a decoded batch as one comparable string, for exact expectations in tests. */
public final class Batches {
    private Batches() {
    }

    /**
     * Each series as {@code kind [group labels] name{k=v,...} t=v t=v}, then the decoder's skip counts:
     * {@code value [service_name=api] cpu{core=0} 1000=0.5 | nan=1}.
     */
    public static String describe(LabelledBatch b) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < b.seriesCount(); i++) {
            if (i > 0) {
                s.append("; ");
            }
            s.append(switch (b.kind(i)) {
                case LabelledBatch.VALUE -> "value";
                case LabelledBatch.CUMULATIVE -> "cumulative";
                case LabelledBatch.DELTA -> "delta";
                default -> "kind" + b.kind(i);
            }).append(' ');
            int g = b.group(i);
            if (g != LabelledBatch.NO_GROUP) {
                s.append('[');
                labels(b, s, b.groupLabelStart(g), b.groupLabelEnd(g));
                s.append("] ");
            }
            s.append(b.string(b.nameOffset(i), b.nameLength(i))).append('{');
            labels(b, s, b.labelStart(i), b.labelEnd(i));
            s.append('}');
            for (int k = b.sampleStart(i); k < b.sampleEnd(i); k++) {
                s.append(' ').append(b.time(k)).append('=').append(b.value(k));
            }
        }
        StringBuilder skips = new StringBuilder();
        for (Skip reason : Skip.values()) {
            if (b.skipped(reason) > 0) {
                skips.append(skips.length() == 0 ? " | " : ", ").append(reason.label()).append('=').append(b.skipped(reason));
            }
        }
        return s.append(skips).toString();
    }

    private static void labels(LabelledBatch b, StringBuilder s, int from, int to) {
        for (int l = from; l < to; l++) {
            if (l > from) {
                s.append(',');
            }
            s.append(b.string(b.labelKeyOffset(l), b.labelKeyLength(l))).append('=')
                    .append(b.string(b.labelValueOffset(l), b.labelValueLength(l)));
        }
    }
}
