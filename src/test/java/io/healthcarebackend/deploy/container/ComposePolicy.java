package io.healthcarebackend.deploy.container;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;

/**
 * What compose.prod.yaml must be (docs/containers.md): every broken rule is named. Host files the
 * services mount are read from {@code root} (the repository).
 */
final class ComposePolicy {

    static final Set<String> PROD_SERVICES = Set.of("api-1", "api-2", "api-3", "worker", "postgres-primary",
            "postgres-replica", "redis", "haproxy");
    private static final Pattern PINNED = Pattern.compile("^[a-z0-9./-]+:[^:@]*\\d+\\.\\d+[^:@]*$");
    static final Pattern SECRET_NAME = Pattern.compile("(.*_)?(PASSWORD|SECRET|TOKEN|KEYSET|KEY)(_.*)?|REDIS_URL");
    private static final Pattern SECRET_LOOKING = Pattern.compile("[A-Za-z0-9+/=_-]{32,}");

    private ComposePolicy() {
    }

    static List<String> problems(JsonNode compose, Path root) {
        List<String> problems = new ArrayList<>();
        JsonNode services = compose.path("services");
        Set<String> names = new TreeSet<>();
        services.fieldNames().forEachRemaining(names::add);
        if (!names.equals(new TreeSet<>(PROD_SERVICES))) {
            problems.add("services are " + names + ", expected " + new TreeSet<>(PROD_SERVICES));
        }
        Map<String, JsonNode> byName = new TreeMap<>();
        services.fields().forEachRemaining(e -> byName.put(e.getKey(), e.getValue()));
        byName.forEach((name, service) -> checkService(name, service, problems));
        List<String> apis = byName.entrySet().stream().filter(e -> role(e.getValue()).equals("api")).map(Map.Entry::getKey).toList();
        List<String> workers = byName.entrySet().stream().filter(e -> role(e.getValue()).equals("worker")).map(Map.Entry::getKey).toList();
        if (!apis.equals(List.of("api-1", "api-2", "api-3")) || !workers.equals(List.of("worker"))) {
            problems.add("roles: APP_ROLE=api on " + apis + ", APP_ROLE=worker on " + workers);
        }
        checkNetworks(byName, problems);
        checkDatabase(byName, root, problems);
        checkRedis(byName.get("redis"), root, problems);
        checkProxy(compose, byName, problems);
        return problems;
    }

    static String role(JsonNode service) {
        return service.path("environment").path("APP_ROLE").asText("");
    }

    private static void checkService(String name, JsonNode service, List<String> problems) {
        JsonNode test = service.path("healthcheck").path("test");
        if (!test.isArray() || test.isEmpty() || service.path("healthcheck").path("disable").asBoolean(false)) {
            problems.add(name + ": no health check");
        }
        if (!Set.of("always", "unless-stopped").contains(service.path("restart").asText())) {
            problems.add(name + ": no restart policy (restart: always or unless-stopped)");
        }
        JsonNode resources = service.path("deploy").path("resources");
        for (String limit : List.of("limits", "reservations")) {
            if (resources.path(limit).path("cpus").asText().isEmpty() || resources.path(limit).path("memory").asText().isEmpty()) {
                problems.add(name + ": no cpu and memory " + limit);
            }
        }
        String image = service.path("image").asText();
        if (!image.equals("${HB_IMAGE:-healthcare-backend:local}") && !PINNED.matcher(image).matches()) {
            problems.add(name + ": image not pinned to a release: " + image);
        }
        service.path("environment").fields().forEachRemaining(e -> {
            if (SECRET_NAME.matcher(e.getKey()).matches() && !e.getKey().endsWith("_FILE")) {
                problems.add(name + ": secret " + e.getKey() + " in the environment (use secrets:)");
            }
            if (SECRET_LOOKING.matcher(e.getValue().asText()).find()) {
                problems.add(name + ": " + e.getKey() + " looks like a real secret value");
            }
        });
        if (!role(service).isEmpty()) {
            if (!service.path("environment").path("APP_PROFILE").asText().equals("production")) {
                problems.add(name + ": APP_PROFILE is not production");
            }
            for (String dependency : List.of("postgres-primary", "redis")) {
                if (!service.path("depends_on").path(dependency).path("condition").asText().equals("service_healthy")) {
                    problems.add(name + ": does not wait for a healthy " + dependency);
                }
            }
            if (!service.path("read_only").asBoolean(false)) {
                problems.add(name + ": root filesystem not read-only");
            }
        }
    }

    private static Set<String> networks(JsonNode service) {
        JsonNode networks = service.path("networks");
        Set<String> names = new TreeSet<>();
        if (networks.isArray()) {
            networks.forEach(n -> names.add(n.asText()));
        } else {
            networks.fieldNames().forEachRemaining(names::add);
        }
        return names;
    }

    private static void checkNetworks(Map<String, JsonNode> services, List<String> problems) {
        services.forEach((name, service) -> {
            Set<String> expected = name.equals("haproxy") ? Set.of("backend", "frontend") : Set.of("backend");
            if (!networks(service).equals(expected)) {
                problems.add(name + ": networks " + networks(service) + ", expected " + expected);
            }
            if (!name.equals("haproxy") && service.has("ports")) {
                problems.add(name + ": publishes ports (only HAProxy may)");
            }
        });
    }

    private static void checkDatabase(Map<String, JsonNode> services, Path root, List<String> problems) {
        JsonNode primary = services.getOrDefault("postgres-primary", MissingNode.getInstance());
        String command = String.join(" ", texts(primary.path("command")));
        if (!command.contains("wal_level=replica") || !command.contains("max_wal_senders=")) {
            problems.add("postgres-primary: WAL is not set up for streaming replication");
        }
        if (!mountedFile(primary, "/docker-entrypoint-initdb.d/20-init-replication.sh", root).contains("REPLICATION")) {
            problems.add("postgres-primary: creates no replication role");
        }
        if (!mountedFile(primary, "/opt/healthcare/db-init.sh", root).contains("NOBYPASSRLS")) {
            problems.add("postgres-primary: does not run scripts/db-init.sh");
        }
        JsonNode replica = services.getOrDefault("postgres-replica", MissingNode.getInstance());
        String entrypoint = String.join(" ", texts(replica.path("entrypoint")));
        String script = entrypoint.isEmpty() ? "" : mountedFile(replica, entrypoint, root);
        if (!replica.path("environment").path("PRIMARY_HOST").asText().equals("postgres-primary")
                || !script.matches("(?s).*pg_basebackup .*-R .*")
                || !replica.path("depends_on").path("postgres-primary").path("condition").asText().equals("service_healthy")) {
            problems.add("postgres-replica: does not follow postgres-primary (pg_basebackup -R from it)");
        }
    }

    private static void checkRedis(JsonNode redis, Path root, List<String> problems) {
        String config = redis == null ? "" : mountedFile(redis, "/usr/local/etc/redis/redis.conf", root);
        boolean aof = Pattern.compile("^appendonly yes$", Pattern.MULTILINE).matcher(config).find()
                && Pattern.compile("^appendfsync everysec$", Pattern.MULTILINE).matcher(config).find();
        if (!aof) {
            problems.add("redis: append-only file not on (appendonly yes, appendfsync everysec)");
        }
    }

    private static void checkProxy(JsonNode compose, Map<String, JsonNode> services, List<String> problems) {
        JsonNode haproxy = services.get("haproxy");
        String address = haproxy == null ? "" : haproxy.path("networks").path("backend").path("ipv4_address").asText();
        String subnet = compose.path("networks").path("backend").path("ipam").path("config").path(0).path("subnet").asText();
        if (address.isEmpty() || !subnet.startsWith(address.substring(0, Math.max(0, address.lastIndexOf('.') + 1)))) {
            problems.add("haproxy: no fixed address on the backend network");
        }
        services.forEach((name, service) -> {
            if (!role(service).isEmpty() && !service.path("environment").path("TRUSTED_PROXIES").asText().equals(address)) {
                problems.add(name + ": TRUSTED_PROXIES is not HAProxy's address " + address);
            }
        });
    }

    /** The text of the host file mounted at {@code target} (a "./source:target[:ro]" volume), or "". */
    static String mountedFile(JsonNode service, String target, Path root) {
        for (String volume : texts(service.path("volumes"))) {
            String[] parts = volume.split(":");
            if (parts.length >= 2 && parts[1].equals(target) && parts[0].startsWith("./")) {
                try {
                    return Files.readString(root.resolve(parts[0].substring(2)));
                } catch (IOException e) {
                    throw new UncheckedIOException("mounted file " + parts[0] + " is missing", e);
                }
            }
        }
        return "";
    }

    static List<String> texts(JsonNode node) {
        if (node.isTextual()) {
            return List.of(node.asText());
        }
        return StreamSupport.stream(node.spliterator(), false).map(JsonNode::asText).toList();
    }
}
