package dev.pulse.server.analytics.detect;

import dev.pulse.server.analytics.Detector;
import dev.pulse.server.analytics.RollingWindow;
import dev.pulse.server.config.DetectorKind;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.IntToDoubleFunction;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Series that stop moving leave no subnormal number in a detector's state ({@link FlushToZero}): each decaying average
 * would otherwise settle on one for good, and every value after that would take the processor's slow path. The state
 * is read field by field, so a new decaying field is checked too. Each series runs long enough to show the slowest
 * of them: the clean rule's shares, which need about 2.8 million values of zeros.
 */
class SubnormalStateTest {
    private static final int VALUES = 3_000_000;

    static Stream<Arguments> seriesThatStopMoving() {
        List<Arguments> cases = new ArrayList<>();
        for (DetectorKind kind : List.of(DetectorKind.ROBUST, DetectorKind.PERVALUE, DetectorKind.NOVELTY)) {
            SplittableRandom counts = new SplittableRandom(7);
            SplittableRandom bursts = new SplittableRandom(8);
            cases.add(Arguments.of(kind, "one spike, then zeros", (IntToDoubleFunction) i -> i == 5000 ? 1000 : 0));
            cases.add(Arguments.of(kind, "an error counter: a 1 in a thousand values",
                    (IntToDoubleFunction) i -> counts.nextInt(1000) == 0 ? 1 : 0));
            cases.add(Arguments.of(kind, "a total that counts up", (IntToDoubleFunction) i -> i));
            cases.add(Arguments.of(kind, "a square wave", (IntToDoubleFunction) i -> (i / 10) % 2));
            cases.add(Arguments.of(kind, "bursts far apart",
                    (IntToDoubleFunction) i -> i % 50_000 < 20 ? 1000 * bursts.nextDouble() : 0));
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("seriesThatStopMoving")
    void noSubnormalNumberIsLeftInTheState(DetectorKind kind, String series, IntToDoubleFunction value)
            throws IllegalAccessException {
        Detector d = Detectors.factory(kind, 3.0, 10, 50, ZoneOffset.UTC).get();
        RollingWindow window = new RollingWindow(50);
        for (int i = 0; i < VALUES; i++) {
            double x = value.applyAsDouble(i);
            d.observe(x, 1_700_000_000.0 + 60.0 * i, window.zscore(x), window.size());
            window.add(x);
        }
        List<String> found = new ArrayList<>();
        subnormals(d, d.getClass().getSimpleName(), found, Collections.newSetFromMap(new IdentityHashMap<>()));
        assertEquals(List.of(), found, "subnormal numbers in the state after " + VALUES + " values");
    }

    /** Adds the path of every subnormal double or float held by {@code o} and the project's objects it holds. */
    private static void subnormals(Object o, String path, List<String> found, Set<Object> seen)
            throws IllegalAccessException {
        if (o == null || !seen.add(o)) {
            return;
        }
        if (o instanceof double[] values) {
            for (int i = 0; i < values.length; i++) {
                if (values[i] != 0 && Math.abs(values[i]) < Double.MIN_NORMAL) {
                    found.add(path + "[" + i + "]=" + values[i]);
                }
            }
            return;
        }
        if (o instanceof float[] values) {
            for (int i = 0; i < values.length; i++) {
                if (values[i] != 0 && Math.abs(values[i]) < Float.MIN_NORMAL) {
                    found.add(path + "[" + i + "]=" + values[i]);
                }
            }
            return;
        }
        if (!o.getClass().getName().startsWith("dev.pulse.")) {
            return;
        }
        for (Class<?> c = o.getClass(); c != Object.class; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (Modifier.isStatic(f.getModifiers())) {
                    continue;
                }
                f.setAccessible(true);
                String at = path + "." + f.getName();
                if (f.getType() == double.class) {
                    double v = f.getDouble(o);
                    if (v != 0 && Math.abs(v) < Double.MIN_NORMAL) {
                        found.add(at + "=" + v);
                    }
                } else if (f.getType() == float.class) {
                    float v = f.getFloat(o);
                    if (v != 0 && Math.abs(v) < Float.MIN_NORMAL) {
                        found.add(at + "=" + v);
                    }
                } else if (!f.getType().isPrimitive()) {
                    subnormals(f.get(o), at, found, seen);
                }
            }
        }
    }
}
