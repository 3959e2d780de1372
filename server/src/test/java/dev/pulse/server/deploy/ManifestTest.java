package dev.pulse.server.deploy;

import dev.pulse.server.config.Config;
import dev.pulse.server.config.Setting;
import dev.pulse.server.http.Route;
import dev.pulse.server.support.Tools;
import io.fabric8.kubernetes.api.model.Capabilities;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeProjection;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code kubectl kustomize k8s/} renders; every object maps onto the Kubernetes model with no unknown field; the
 * manifests agree with the server's own configuration (ports, probe paths, environment, scrape annotations); every
 * pod meets Pod Security "restricted"; secrets are wired from generated Secrets; the Prometheus and Alertmanager
 * configurations, as the pods see them, pass {@code promtool} and {@code amtool}.
 */
class ManifestTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
    /** The volume types Pod Security "restricted" allows. */
    private static final Set<String> RESTRICTED_VOLUMES = Set.of("configMap", "csi", "downwardAPI", "emptyDir",
            "ephemeral", "persistentVolumeClaim", "projected", "secret");
    private static List<HasMetadata> objects;

    @BeforeAll
    static void render() throws Exception {
        String kubectl = Tools.require("kubectl");
        String out = run(kubectl, "kustomize", ROOT.resolve("k8s").toString());
        objects = new ArrayList<>();
        for (String doc : out.split("(?m)^---$")) {
            if (!doc.isBlank()) {
                objects.add(SERIALIZATION.unmarshal(doc));
            }
        }
    }

    /** Runs a program to its end; its standard output, or a failure with everything it printed. */
    private static String run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).start();
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
        int status = p.waitFor();
        drain.join();
        assertEquals(0, status, String.join(" ", command) + ": " + out + err);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void rendersTheWholeStack() {
        Set<String> kinds = objects.stream().map(o -> o.getKind() + "/" + o.getMetadata().getName()).collect(Collectors.toSet());
        for (String expected : List.of("Namespace/pulse", "Deployment/pulse", "Service/pulse", "ConfigMap/pulse-env",
                "HorizontalPodAutoscaler/pulse", "PodDisruptionBudget/pulse", "StatefulSet/redis", "Service/redis",
                "Service/redis-headless", "Deployment/prometheus", "ServiceAccount/prometheus",
                "Role/prometheus-discovery", "RoleBinding/prometheus-discovery", "Deployment/alertmanager",
                "Service/alertmanager", "Deployment/grafana", "Service/grafana")) {
            assertTrue(kinds.contains(expected), expected + " in " + kinds);
        }
        for (String generated : List.of("ConfigMap/grafana-dashboards-", "ConfigMap/prometheus-config-",
                "ConfigMap/prometheus-rules-", "ConfigMap/alertmanager-config-", "Secret/redis-auth-",
                "Secret/pulse-auth-", "Secret/grafana-admin-")) {
            assertTrue(kinds.stream().anyMatch(k -> k.startsWith(generated)), generated + "* from a generator");
        }
        assertFalse(kinds.contains("Deployment/redis"), "Redis is a StatefulSet, not a Deployment");
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

    @Test
    void theNamespaceEnforcesRestrictedPodSecurity() {
        Map<String, String> labels = find(Namespace.class, "pulse").getMetadata().getLabels();
        assertEquals("restricted", labels.get("pod-security.kubernetes.io/enforce"));
        assertEquals("restricted", labels.get("pod-security.kubernetes.io/warn"));
    }

    /** The checks of the "restricted" profile (kubernetes.io/docs/concepts/security/pod-security-standards). */
    @Test
    void everyPodTemplateMeetsRestricted() {
        Map<String, PodTemplateSpec> templates = podTemplates();
        assertTrue(templates.keySet().containsAll(List.of("Deployment/pulse", "StatefulSet/redis",
                "Deployment/prometheus", "Deployment/alertmanager", "Deployment/grafana")), templates.keySet().toString());
        for (Map.Entry<String, PodTemplateSpec> t : templates.entrySet()) {
            String where = t.getKey();
            PodSpec pod = t.getValue().getSpec();
            PodSecurityContext podContext = pod.getSecurityContext();
            assertNotNull(podContext, where + ": pod securityContext");
            assertFalse(Boolean.TRUE.equals(pod.getHostNetwork()) || Boolean.TRUE.equals(pod.getHostPID())
                    || Boolean.TRUE.equals(pod.getHostIPC()), where + ": no host namespaces");
            for (Volume v : pod.getVolumes()) {
                String type = volumeType(v);
                assertTrue(RESTRICTED_VOLUMES.contains(type), where + ": volume " + v.getName() + " is " + type);
            }
            List<Container> containers = new ArrayList<>(pod.getContainers());
            containers.addAll(pod.getInitContainers());
            for (Container c : containers) {
                String at = where + " container " + c.getName();
                SecurityContext sc = c.getSecurityContext();
                assertNotNull(sc, at + ": securityContext");
                Boolean nonRoot = sc.getRunAsNonRoot() != null ? sc.getRunAsNonRoot() : podContext.getRunAsNonRoot();
                assertEquals(Boolean.TRUE, nonRoot, at + ": runAsNonRoot");
                Long uid = sc.getRunAsUser() != null ? sc.getRunAsUser() : podContext.getRunAsUser();
                assertTrue(uid != null && uid != 0, at + ": a numeric non-zero user, so the kubelet can check it");
                assertEquals(Boolean.FALSE, sc.getAllowPrivilegeEscalation(), at + ": allowPrivilegeEscalation");
                assertFalse(Boolean.TRUE.equals(sc.getPrivileged()), at + ": privileged");
                Capabilities caps = sc.getCapabilities();
                assertTrue(caps != null && caps.getDrop().contains("ALL"), at + ": drops ALL capabilities");
                assertTrue(caps.getAdd().stream().allMatch("NET_BIND_SERVICE"::equals), at + ": adds " + caps.getAdd());
                String seccomp = sc.getSeccompProfile() != null ? sc.getSeccompProfile().getType()
                        : podContext.getSeccompProfile() == null ? null : podContext.getSeccompProfile().getType();
                assertTrue("RuntimeDefault".equals(seccomp) || "Localhost".equals(seccomp), at + ": seccomp " + seccomp);
                // Beyond "restricted": every program in the stack runs with a read-only root, writing only to volumes.
                assertEquals(Boolean.TRUE, sc.getReadOnlyRootFilesystem(), at + ": readOnlyRootFilesystem");
                assertNotNull(c.getResources().getLimits(), at + ": resource limits");
                assertNotNull(c.getResources().getRequests(), at + ": resource requests");
            }
        }
    }

    @Test
    void redisKeepsItsAppendOnlyFileOnAClaimAndRequiresThePassword() {
        StatefulSet redis = find(StatefulSet.class, "redis");
        assertEquals("redis-headless", redis.getSpec().getServiceName());
        assertEquals("None", find(Service.class, "redis-headless").getSpec().getClusterIP(), "headless");
        assertEquals(1, redis.getSpec().getVolumeClaimTemplates().size());
        String claim = redis.getSpec().getVolumeClaimTemplates().get(0).getMetadata().getName();
        assertNotNull(redis.getSpec().getVolumeClaimTemplates().get(0).getSpec().getResources().getRequests().get("storage"));
        Container c = redis.getSpec().getTemplate().getSpec().getContainers().get(0);
        String dataDir = c.getVolumeMounts().stream().filter(m -> m.getName().equals(claim)).findFirst()
                .orElseThrow(() -> new AssertionError("the claim is mounted")).getMountPath();
        assertTrue(redis.getSpec().getTemplate().getSpec().getVolumes().stream().noneMatch(v -> v.getName().equals(claim)),
                "the data volume is the claim, not a pod volume such as emptyDir");
        List<String> args = c.getArgs();
        assertEquals(dataDir, argAfter(args, "--dir"), "Redis writes into the claimed volume");
        assertEquals("yes", argAfter(args, "--appendonly"));
        assertEquals("$(REDIS_PASSWORD)", argAfter(args, "--requirepass"));
        SecretKeySelector password = secretRef(c, "REDIS_PASSWORD");
        assertEquals(password.getName(), secretRef(c, "REDISCLI_AUTH").getName(), "the probes authenticate");
        assertFalse(secretValue(password).isBlank());
        assertNotNull(c.getStartupProbe(), "startup probe");
        assertNotNull(c.getLivenessProbe(), "liveness probe");
        assertNotNull(c.getReadinessProbe(), "readiness probe");
        assertTrue(String.join(" ", c.getReadinessProbe().getExec().getCommand()).contains("PONG"),
                "ready only when an authenticated PING answers");
        ServicePort port = find(Service.class, "redis").getSpec().getPorts().get(0);
        assertEquals("redis:" + port.getPort(), find(ConfigMap.class, "pulse-env").getData().get("REDIS_ADDR"));
    }

    @Test
    void pulseReadsTheRedisPasswordAndItsTokenFromSecrets() {
        Container pulse = find(Deployment.class, "pulse").getSpec().getTemplate().getSpec().getContainers().get(0);
        Container redis = find(StatefulSet.class, "redis").getSpec().getTemplate().getSpec().getContainers().get(0);
        SecretKeySelector pulsePassword = secretRef(pulse, "REDIS_PASSWORD");
        SecretKeySelector redisPassword = secretRef(redis, "REDIS_PASSWORD");
        assertEquals(redisPassword.getName(), pulsePassword.getName());
        assertEquals(redisPassword.getKey(), pulsePassword.getKey());
        SecretKeySelector token = secretRef(pulse, "AUTH_TOKEN");
        assertFalse(secretValue(token).isBlank());
        Set<String> settings = Arrays.stream(Setting.values()).map(Enum::name).collect(Collectors.toSet());
        for (EnvVar e : pulse.getEnv()) {
            assertTrue(settings.contains(e.getName()), e.getName() + " is not a setting of the server");
        }
        for (Secret s : all(Secret.class)) {
            for (Map.Entry<String, String> e : s.getData().entrySet()) {
                String value = new String(Base64.getDecoder().decode(e.getValue()), StandardCharsets.UTF_8);
                assertEquals(value.strip(), value, s.getMetadata().getName() + "/" + e.getKey() + ": no stray whitespace");
            }
        }
    }

    @Test
    void grafanaTakesItsAdminLoginFromASecret() {
        Container grafana = find(Deployment.class, "grafana").getSpec().getTemplate().getSpec().getContainers().get(0);
        for (String name : List.of("GF_SECURITY_ADMIN_USER", "GF_SECURITY_ADMIN_PASSWORD")) {
            assertFalse(secretValue(secretRef(grafana, name)).isBlank(), name);
        }
        assertFalse(secretValue(secretRef(grafana, "GF_SECURITY_ADMIN_PASSWORD")).equals("admin"));
    }

    @Test
    void theHpaOwnsTheReplicaCount() {
        List<HorizontalPodAutoscaler> hpas = all(HorizontalPodAutoscaler.class);
        assertFalse(hpas.isEmpty());
        for (HorizontalPodAutoscaler hpa : hpas) {
            String target = hpa.getSpec().getScaleTargetRef().getName();
            assertEquals("Deployment", hpa.getSpec().getScaleTargetRef().getKind());
            assertNull(find(Deployment.class, target).getSpec().getReplicas(),
                    "Deployment/" + target + " sets replicas although an HPA scales it");
        }
    }

    /**
     * Lays the Prometheus pod's projected config volume out in a directory, exactly as the pod sees it, and runs
     * {@code promtool check config} on it (which also loads the rule files). Debian's Prometheus is built without
     * Kubernetes discovery, so the discovery block is swapped for a static target, as {@code make e2e} does.
     */
    @Test
    void prometheusConfigurationAsMountedPassesPromtool(@TempDir Path dir) throws Exception {
        String promtool = Tools.require("promtool");
        Map<String, String> files = prometheusFiles();
        for (Map.Entry<String, String> f : files.entrySet()) {
            Path file = dir.resolve(f.getKey());
            Files.createDirectories(file.getParent());
            Files.writeString(file, f.getValue());
        }
        assertTrue(files.containsKey("prometheus.yml"));
        String config = files.get("prometheus.yml");
        String local = config.replaceAll("(?s)    # discovery: begin.*?# discovery: end\n",
                "    static_configs:\n      - targets: [\"127.0.0.1:8080\"]\n");
        assertFalse(local.equals(config), "the discovery markers are in prometheus.yml");
        Files.writeString(dir.resolve("prometheus.yml"), local);
        String out = run(promtool, "check", "config", dir.resolve("prometheus.yml").toString());
        assertTrue(out.contains("SUCCESS") && out.matches("(?s).*SUCCESS: [1-9][0-9]* rules found.*"),
                "the rule files are found and load: " + out);

        Map<String, Object> parsed = yaml(config);
        Map<String, Object> remote = onlyItem(parsed.get("remote_write"));
        int pulsePort = find(Service.class, "pulse").getSpec().getPorts().get(0).getPort();
        assertEquals("http://pulse:" + pulsePort + "/api/v1/write", remote.get("url"), "API.md's remote write path");
        Object credentialsFile = ((Map<?, ?>) remote.get("authorization")).get("credentials_file");
        assertTrue(files.containsKey((String) credentialsFile), "the token file is in the mounted volume");
        assertEquals(secretValue(secretRef(find(Deployment.class, "pulse").getSpec().getTemplate().getSpec()
                .getContainers().get(0), "AUTH_TOKEN")), files.get((String) credentialsFile),
                "Prometheus sends the token pulse expects");
        String keep = (String) onlyItem(remote.get("write_relabel_configs")).get("regex");
        for (String series : keep.split("\\|")) {
            assertTrue(files.values().stream().anyMatch(t -> t.contains("record: " + series + "\n")),
                    series + " is recorded by a rule");
        }
        Map<String, Object> am = onlyItem(((Map<?, ?>) parsed.get("alerting")).get("alertmanagers"));
        List<?> targets = (List<?>) ((Map<?, ?>) onlyItem(am.get("static_configs"))).get("targets");
        int amPort = find(Service.class, "alertmanager").getSpec().getPorts().get(0).getPort();
        assertEquals(List.of("alertmanager:" + amPort), targets);
        assertEquals("http://alertmanager:" + amPort,
                find(ConfigMap.class, "pulse-env").getData().get("ALERTMANAGER_URL"), "pulse posts to the same one");
    }

    @Test
    void everyRuleFileIsShipped() throws Exception {
        Set<String> shipped = prometheusFiles().keySet();
        try (Stream<Path> files = Files.list(ROOT.resolve("k8s/prometheus/rules"))) {
            for (Path f : files.filter(f -> f.getFileName().toString().endsWith(".rules.yml")).toList()) {
                assertTrue(shipped.contains("rules/" + f.getFileName()), f.getFileName() + " is mounted into Prometheus");
            }
        }
    }

    @Test
    void alertmanagerConfigurationPassesAmtool(@TempDir Path dir) throws Exception {
        String amtool = Tools.require("amtool");
        Deployment d = find(Deployment.class, "alertmanager");
        Volume config = d.getSpec().getTemplate().getSpec().getVolumes().stream()
                .filter(v -> v.getName().equals("config")).findFirst().orElseThrow();
        ConfigMap map = find(ConfigMap.class, config.getConfigMap().getName());
        Container c = d.getSpec().getTemplate().getSpec().getContainers().get(0);
        String mountPath = c.getVolumeMounts().stream().filter(m -> m.getName().equals("config")).findFirst()
                .orElseThrow().getMountPath();
        String file = argAfter(c.getArgs().stream().flatMap(a -> Stream.of(a.split("=", 2))).toList(), "--config.file");
        assertTrue(file.startsWith(mountPath + "/"), file);
        String text = map.getData().get(file.substring(mountPath.length() + 1));
        assertNotNull(text, file + " is in " + map.getMetadata().getName());
        Path local = dir.resolve("alertmanager.yml");
        Files.writeString(local, text);
        String out = run(amtool, "check-config", local.toString());
        assertTrue(out.contains("SUCCESS"), out);
        assertTrue(text.contains("webhook_configs:"), "a webhook receiver to copy");
    }

    /** The files of the Prometheus pod's config volume, by their path inside it. */
    private static Map<String, String> prometheusFiles() {
        PodSpec pod = find(Deployment.class, "prometheus").getSpec().getTemplate().getSpec();
        Volume volume = pod.getVolumes().stream().filter(v -> v.getName().equals("config")).findFirst().orElseThrow();
        assertEquals("/etc/prometheus", pod.getContainers().get(0).getVolumeMounts().stream()
                .filter(m -> m.getName().equals("config")).findFirst().orElseThrow().getMountPath());
        assertTrue(pod.getContainers().get(0).getArgs().contains("--config.file=/etc/prometheus/prometheus.yml"));
        Map<String, String> files = new LinkedHashMap<>();
        for (VolumeProjection source : volume.getProjected().getSources()) {
            Map<String, String> data;
            List<io.fabric8.kubernetes.api.model.KeyToPath> items;
            if (source.getConfigMap() != null) {
                data = find(ConfigMap.class, source.getConfigMap().getName()).getData();
                items = source.getConfigMap().getItems();
            } else {
                Secret secret = find(Secret.class, source.getSecret().getName());
                data = new LinkedHashMap<>();
                secret.getData().forEach((k, v) -> data.put(k, new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
                items = source.getSecret().getItems();
            }
            if (items == null || items.isEmpty()) {
                files.putAll(data);
            } else {
                for (var item : items) {
                    assertNotNull(data.get(item.getKey()), item.getKey() + " exists");
                    files.put(item.getPath(), data.get(item.getKey()));
                }
            }
        }
        return files;
    }

    private static Map<String, PodTemplateSpec> podTemplates() {
        Map<String, PodTemplateSpec> out = new LinkedHashMap<>();
        for (HasMetadata o : objects) {
            String key = o.getKind() + "/" + o.getMetadata().getName();
            if (o instanceof Deployment d) {
                out.put(key, d.getSpec().getTemplate());
            } else if (o instanceof StatefulSet s) {
                out.put(key, s.getSpec().getTemplate());
            } else if (o instanceof io.fabric8.kubernetes.api.model.apps.DaemonSet ds) {
                out.put(key, ds.getSpec().getTemplate());
            } else if (o instanceof io.fabric8.kubernetes.api.model.batch.v1.Job j) {
                out.put(key, j.getSpec().getTemplate());
            } else if (o instanceof io.fabric8.kubernetes.api.model.batch.v1.CronJob j) {
                out.put(key, j.getSpec().getJobTemplate().getSpec().getTemplate());
            } else if (o instanceof io.fabric8.kubernetes.api.model.Pod) {
                throw new AssertionError(key + ": a bare pod");
            }
        }
        return out;
    }

    private static String volumeType(Volume v) throws RuntimeException {
        for (Method m : Volume.class.getMethods()) {
            try {
                if (m.getParameterCount() == 0 && m.getName().startsWith("get") && !m.getName().equals("getName")
                        && !m.getName().equals("getClass") && !m.getName().equals("getAdditionalProperties")
                        && m.invoke(v) != null) {
                    String name = m.getName().substring(3);
                    return Character.toLowerCase(name.charAt(0)) + name.substring(1);
                }
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
        return "none";
    }

    private static String argAfter(List<String> args, String flag) {
        int i = args.indexOf(flag);
        assertTrue(i >= 0 && i + 1 < args.size(), flag + " in " + args);
        return args.get(i + 1);
    }

    private static SecretKeySelector secretRef(Container c, String variable) {
        EnvVar env = c.getEnv().stream().filter(e -> e.getName().equals(variable)).findFirst()
                .orElseThrow(() -> new AssertionError(c.getName() + " has no " + variable));
        assertTrue(env.getValue() == null && env.getValueFrom() != null && env.getValueFrom().getSecretKeyRef() != null,
                c.getName() + ": " + variable + " comes from a Secret");
        return env.getValueFrom().getSecretKeyRef();
    }

    /** The value a secret reference resolves to in the rendered Secret (fails when the Secret or key is missing). */
    private static String secretValue(SecretKeySelector ref) {
        String encoded = find(Secret.class, ref.getName()).getData().get(ref.getKey());
        assertNotNull(encoded, ref.getName() + " has key " + ref.getKey());
        return new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> yaml(String text) {
        return SERIALIZATION.unmarshal(text, Map.class);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> onlyItem(Object list) {
        assertTrue(list instanceof List<?> l && l.size() == 1, "one item: " + list);
        return (Map<String, Object>) ((List<?>) list).get(0);
    }

    private static <T extends HasMetadata> List<T> all(Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
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
