package dev.pulse.server.layout;

import dev.pulse.protocol.event.EventBatch;
import dev.pulse.server.Main;
import org.junit.jupiter.api.Test;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packages of {@code server} and {@code protocol} form no cycle: each stage of the request path depends only on
 * the stages below it, so a reader can follow the folders from the wiring down. Reads the compiled classes' constant
 * pools (every class named in a reference, a field or a method signature) and looks for strongly connected
 * components of the package graph.
 */
class PackageCyclesTest {
    /** A class name in a constant-pool string: {@code dev/pulse/a/b/C}, possibly inside a descriptor. */
    private static final Pattern CLASS_NAME = Pattern.compile("dev/pulse/((?:[a-z0-9_]+/)+)[A-Za-z0-9_$]+");

    @Test
    void serverAndProtocolPackagesAreAcyclic() throws Exception {
        Map<String, Set<String>> graph = new TreeMap<>();
        readClasses(location(Main.class), graph);
        readClasses(location(EventBatch.class), graph);
        assertTrue(graph.containsKey("dev.pulse.server.http") && graph.containsKey("dev.pulse.protocol.event"),
                "both modules' classes were read: " + graph.keySet());
        List<Set<String>> cycles = cycles(graph);
        StringBuilder why = new StringBuilder();
        for (Set<String> cycle : cycles) {
            why.append("\ncycle among ").append(cycle).append(':');
            for (String from : cycle) {
                for (String to : graph.get(from)) {
                    if (cycle.contains(to)) {
                        why.append("\n  ").append(from).append(" -> ").append(to);
                    }
                }
            }
        }
        assertEquals(List.of(), cycles, why.toString());
    }

    @Test
    void findsACycleWhenThereIsOne() {
        Map<String, Set<String>> graph = new TreeMap<>(Map.of(
                "a", new TreeSet<>(Set.of("b")), "b", new TreeSet<>(Set.of("c")), "c", new TreeSet<>(Set.of("a", "d")),
                "d", new TreeSet<>(Set.of())));
        assertEquals(List.of(Set.of("a", "b", "c")), cycles(graph));
        graph.get("c").remove("a");
        assertEquals(List.of(), cycles(graph));
    }

    private static Path location(Class<?> c) throws URISyntaxException {
        return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    private static void readClasses(Path where, Map<String, Set<String>> graph) throws IOException {
        if (Files.isDirectory(where)) {
            try (Stream<Path> files = Files.walk(where)) {
                for (Path p : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".class"))::iterator) {
                    try (InputStream in = Files.newInputStream(p)) {
                        addClass(where.relativize(p).toString().replace('\\', '/'), in, graph);
                    }
                }
            }
            return;
        }
        try (JarFile jar = new JarFile(where.toFile())) {
            for (var e : (Iterable<java.util.jar.JarEntry>) jar.stream()::iterator) {
                if (e.getName().endsWith(".class") && e.getName().startsWith("dev/pulse/")) {
                    try (InputStream in = jar.getInputStream(e)) {
                        addClass(e.getName(), in, graph);
                    }
                }
            }
        }
    }

    private static void addClass(String path, InputStream in, Map<String, Set<String>> graph) throws IOException {
        if (path.equals("module-info.class")) {
            return;
        }
        String from = path.substring(0, path.lastIndexOf('/')).replace('/', '.');
        Set<String> to = graph.computeIfAbsent(from, k -> new TreeSet<>());
        for (String s : utf8Constants(in)) {
            Matcher m = CLASS_NAME.matcher(s);
            while (m.find()) {
                String pkg = ("dev/pulse/" + m.group(1)).replaceAll("/$", "").replace('/', '.');
                if (!pkg.equals(from)) {
                    to.add(pkg);
                }
            }
        }
    }

    /** The UTF-8 strings of a class file's constant pool: class names, descriptors, signatures. */
    private static List<String> utf8Constants(InputStream raw) throws IOException {
        DataInputStream in = new DataInputStream(raw);
        if (in.readInt() != 0xCAFEBABE) {
            throw new IOException("not a class file");
        }
        in.readUnsignedShort(); // minor
        in.readUnsignedShort(); // major
        int count = in.readUnsignedShort();
        List<String> strings = new ArrayList<>();
        for (int i = 1; i < count; i++) {
            int tag = in.readUnsignedByte();
            switch (tag) {
                case 1 -> strings.add(in.readUTF());
                case 7, 8, 16, 19, 20 -> in.skipNBytes(2);
                case 15 -> in.skipNBytes(3);
                case 3, 4, 9, 10, 11, 12, 17, 18 -> in.skipNBytes(4);
                case 5, 6 -> {
                    in.skipNBytes(8);
                    i++; // takes two slots
                }
                default -> throw new IOException("unknown constant pool tag " + tag);
            }
        }
        return strings;
    }

    /** The strongly connected components of more than one package (Tarjan), each a cycle. */
    static List<Set<String>> cycles(Map<String, Set<String>> graph) {
        return new Tarjan(graph).run();
    }

    private static final class Tarjan {
        private final Map<String, Set<String>> graph;
        private final Map<String, Integer> index = new TreeMap<>();
        private final Map<String, Integer> low = new TreeMap<>();
        private final List<String> stack = new ArrayList<>();
        private final Set<String> onStack = new TreeSet<>();
        private final List<Set<String>> components = new ArrayList<>();

        Tarjan(Map<String, Set<String>> graph) {
            this.graph = graph;
        }

        List<Set<String>> run() {
            for (String v : graph.keySet()) {
                if (!index.containsKey(v)) {
                    visit(v);
                }
            }
            return components;
        }

        private void visit(String v) {
            index.put(v, index.size());
            low.put(v, index.get(v));
            stack.add(v);
            onStack.add(v);
            for (String w : graph.getOrDefault(v, Set.of())) {
                if (!index.containsKey(w)) {
                    visit(w);
                    low.put(v, Math.min(low.get(v), low.get(w)));
                } else if (onStack.contains(w)) {
                    low.put(v, Math.min(low.get(v), index.get(w)));
                }
            }
            if (low.get(v).equals(index.get(v))) {
                Set<String> component = new TreeSet<>();
                String w;
                do {
                    w = stack.remove(stack.size() - 1);
                    onStack.remove(w);
                    component.add(w);
                } while (!w.equals(v));
                if (component.size() > 1) {
                    components.add(component);
                }
            }
        }
    }
}
