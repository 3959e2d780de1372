package dev.pulse.server.deploy;

import dev.pulse.server.config.Config;
import dev.pulse.server.config.Setting;
import dev.pulse.server.http.Route;
import dev.pulse.server.support.Tools;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code kubectl kustomize k8s/} renders; every object maps onto the Kubernetes model with no unknown field; and
 * the manifests agree with the server's own configuration (ports, probe paths, environment, scrape annotations).
 */
class ManifestTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static List<HasMetadata> objects;

    @BeforeAll
    static void render() throws Exception {
        String kubectl = Tools.require("kubectl");
        Process p = new ProcessBuilder(kubectl, "kustomize", ROOT.resolve("k8s").toString()).start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Thread drain = new Thread(() -> {
            try {
                p.getErrorStream().transferTo(err);
            } catch (java.io.IOException ignored) {
                // the exit status tells
            }
        });
        drain.start();
        p.getInputStream().transferTo(out);
        assertEquals(0, p.waitFor(), "kubectl kustomize k8s/: " + err);
        drain.join();
        KubernetesSerialization serialization = new KubernetesSerialization();
        objects = new ArrayList<>();
        for (String doc : out.toString(StandardCharsets.UTF_8).split("(?m)^---$")) {
            if (!doc.isBlank()) {
                objects.add(serialization.unmarshal(doc));
            }
        }
    }

    @Test
    void rendersTheWholeStack() {
        Set<String> kinds = objects.stream().map(o -> o.getKind() + "/" + o.getMetadata().getName()).collect(Collectors.toSet());
        for (String expected : List.of("Namespace/pulse", "Deployment/pulse", "Service/pulse", "ConfigMap/pulse-env",
                "HorizontalPodAutoscaler/pulse", "PodDisruptionBudget/pulse", "Deployment/redis", "Service/redis",
                "Deployment/prometheus", "ServiceAccount/prometheus", "Role/prometheus-discovery",
                "RoleBinding/prometheus-discovery", "Deployment/grafana", "Service/grafana")) {
            assertTrue(kinds.contains(expected), expected + " in " + kinds);
        }
        assertTrue(kinds.stream().anyMatch(k -> k.startsWith("ConfigMap/grafana-dashboards-")), "dashboards from files");
        for (HasMetadata o : objects) {
            if (!o.getKind().equals("Namespace")) {
                assertEquals("pulse", o.getMetadata().getNamespace(), o.getKind() + "/" + o.getMetadata().getName());
            }
        }
    }

    @Test
    void everyFieldIsAKubernetesField() throws Exception {
        for (HasMetadata o : objects) {
            List<String> unknown = new ArrayList<>();
            collectUnknown(o, o.getKind() + "/" + o.getMetadata().getName(), unknown, new IdentityHashMap<>());
            assertEquals(List.of(), unknown, "fields the Kubernetes schema does not have");
        }
    }

    @Test
    void theDeploymentAgreesWithTheServersConfiguration() {
        Deployment d = find(Deployment.class, "pulse");
        Container c = d.getSpec().getTemplate().getSpec().getContainers().get(0);
        int port = Config.defaults().port();
        assertEquals(port, c.getPorts().get(0).getContainerPort());
        assertEquals("http", c.getPorts().get(0).getName());
        for (Probe probe : List.of(c.getStartupProbe(), c.getReadinessProbe(), c.getLivenessProbe())) {
            assertEquals(Route.HEALTH.path(), probe.getHttpGet().getPath());
            assertEquals("http", probe.getHttpGet().getPort().getStrVal());
        }
        Map<String, String> annotations = d.getSpec().getTemplate().getMetadata().getAnnotations();
        assertEquals("true", annotations.get("prometheus.io/scrape"));
        assertEquals(Integer.toString(port), annotations.get("prometheus.io/port"));
        assertEquals(Route.METRICS.path(), annotations.get("prometheus.io/path"));
        assertEquals("pulse:v1.0", c.getImage());
        assertTrue(List.of("IfNotPresent", "Never").contains(c.getImagePullPolicy()));
        assertTrue(c.getSecurityContext().getReadOnlyRootFilesystem());
        assertTrue(d.getSpec().getTemplate().getSpec().getSecurityContext().getRunAsNonRoot());
        long grace = d.getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds();
        long preStop = c.getLifecycle().getPreStop().getSleep().getSeconds();
        assertTrue(grace * 1000 > preStop * 1000 + Config.defaults().shutdownTimeoutMs(),
                "the grace period covers the preStop pause and SHUTDOWN_TIMEOUT_MS");
        Service s = find(Service.class, "pulse");
        assertEquals("ClientIP", s.getSpec().getSessionAffinity());
        assertEquals("http", s.getSpec().getPorts().get(0).getTargetPort().getStrVal());
    }

    @Test
    void theConfigMapHoldsOnlyRealSettingsThatTheServerAccepts() {
        ConfigMap env = find(ConfigMap.class, "pulse-env");
        Set<String> names = Arrays.stream(Setting.values()).map(Enum::name).collect(Collectors.toSet());
        for (String key : env.getData().keySet()) {
            assertTrue(names.contains(key), key + " is not a setting of the server");
        }
        Config config = Config.from(env.getData());
        assertEquals("redis", config.redisHost());
        assertEquals(Config.defaults().port(), config.port());
        assertTrue(!env.getData().containsKey("REDIS_PASSWORD"), "secrets do not belong in a ConfigMap");
    }

    private static <T extends HasMetadata> T find(Class<T> type, String name) {
        return objects.stream().filter(type::isInstance).map(type::cast)
                .filter(o -> o.getMetadata().getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError(type.getSimpleName() + "/" + name + " not rendered"));
    }

    /** Walks the model: the fabric8 classes keep any field they do not know in {@code additionalProperties}. */
    private static void collectUnknown(Object node, String path, List<String> unknown, Map<Object, Boolean> seen)
            throws Exception {
        if (node == null || seen.put(node, true) != null) {
            return;
        }
        if (node instanceof Collection<?> list) {
            int i = 0;
            for (Object item : list) {
                collectUnknown(item, path + "[" + i++ + "]", unknown, seen);
            }
            return;
        }
        if (node instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> e : map.entrySet()) {
                collectUnknown(e.getValue(), path + "." + e.getKey(), unknown, seen);
            }
            return;
        }
        if (!node.getClass().getName().startsWith("io.fabric8.kubernetes.api.model")) {
            return;
        }
        for (Method m : node.getClass().getMethods()) {
            if (m.getParameterCount() != 0 || Modifier.isStatic(m.getModifiers()) || !m.getName().startsWith("get")
                    || m.getDeclaringClass() == Object.class) {
                continue;
            }
            Object value = m.invoke(node);
            if (m.getName().equals("getAdditionalProperties")) {
                if (value instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    unknown.add(path + ": " + extra.keySet());
                }
                continue;
            }
            collectUnknown(value, path + "." + m.getName().substring(3), unknown, seen);
        }
    }
}
