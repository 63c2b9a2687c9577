package io.healthcarebackend.deploy.container;

import io.healthcarebackend.deploy.container.Dockerfile.Instruction;
import io.healthcarebackend.deploy.container.Dockerfile.Stage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the container image must be (docs/containers.md), checked on the Dockerfile's text: every
 * rule that is broken is named, so a test can show that each one is really enforced.
 */
final class ImagePolicy {

    static final String UID = "10001";
    static final List<String> LAYERS = List.of("dependencies", "spring-boot-loader", "snapshot-dependencies", "application");
    static final String LAUNCHER = "org.springframework.boot.loader.launch.JarLauncher";
    private static final Pattern EXACT_TAG = Pattern.compile("^[^:@]+(:[^:@]*\\d+\\.\\d+[^:@]*)?(@sha256:[0-9a-f]{64})?$");
    private static final Pattern GC = Pattern.compile("-XX:\\+Use\\w+GC");

    /** The inputs the policy looks at besides the Dockerfile. */
    record Context(List<String> dockerignore, String makefileJavaOpts, Set<String> writablePathVariables) {
    }

    private ImagePolicy() {
    }

    static List<String> problems(Dockerfile dockerfile, Context context) {
        List<String> problems = new ArrayList<>();
        if (dockerfile.stages().size() < 2) {
            problems.add("not a multi-stage build");
            return problems;
        }
        for (Stage stage : dockerfile.stages()) {
            Matcher exact = EXACT_TAG.matcher(stage.image());
            if (stage.image().endsWith(":latest") || !exact.matches() || (exact.group(1) == null && exact.group(2) == null)) {
                problems.add("base image not pinned to a release: " + stage.image());
            }
        }
        Stage build = dockerfile.stages().getFirst();
        if (!build.image().matches("eclipse-temurin:25[.\\d_]*-jdk.*")) {
            problems.add("build stage is not a Temurin 25 JDK: " + build.image());
        }
        boolean builds = build.all("RUN").stream().anyMatch(r -> r.arguments().contains("./mvnw -B -DskipTests package")
                && r.arguments().contains("deploy/container/extract-layers.sh"));
        if (!builds) {
            problems.add("build stage does not package with the Maven Wrapper and extract the layers");
        }
        Stage runtime = dockerfile.runtime();
        if (!runtime.image().matches("eclipse-temurin:25[.\\d_]*-jre.*")) {
            problems.add("runtime stage is not a Temurin 25 JRE: " + runtime.image());
        }
        checkUser(runtime, problems);
        checkLayers(dockerfile, runtime, problems);
        checkLaunch(runtime, context, problems);
        checkWritablePaths(runtime, context, problems);
        for (String excluded : List.of("target", ".git", "var")) {
            if (!context.dockerignore().contains(excluded)) {
                problems.add(".dockerignore does not exclude " + excluded);
            }
        }
        return problems;
    }

    private static void checkUser(Stage runtime, List<String> problems) {
        Optional<Instruction> user = runtime.last("USER");
        if (user.isEmpty()) {
            problems.add("runtime stage runs as root (no USER)");
        } else if (!user.get().arguments().equals(UID + ":" + UID)) {
            problems.add("runtime user is not the numeric " + UID + ":" + UID + ": " + user.get().arguments());
        }
    }

    private static void checkLayers(Dockerfile dockerfile, Stage runtime, List<String> problems) {
        String buildName = dockerfile.stages().getFirst().name();
        List<String> copied = runtime.all("COPY").stream()
                .filter(c -> buildName != null && buildName.equals(c.flags().get("from")))
                .map(c -> c.withoutFlags().split(" ")[0]).toList();
        List<String> expected = LAYERS.stream().map(l -> "/layers/" + l + "/").toList();
        if (!copied.equals(expected)) {
            problems.add("runtime stage does not copy the layers one by one in order " + expected + ": " + copied);
        }
        if (runtime.all("COPY").stream().anyMatch(c -> c.flags().containsKey("chown"))) {
            problems.add("runtime stage gives files to the app user (COPY --chown): they must stay root's");
        }
    }

    private static void checkLaunch(Stage runtime, Context context, List<String> problems) {
        Optional<List<String>> entrypoint = runtime.last("ENTRYPOINT").flatMap(Instruction::execForm);
        if (entrypoint.isEmpty()) {
            problems.add("ENTRYPOINT is missing or not in exec form (SIGTERM would not reach the JVM)");
        } else {
            List<String> command = entrypoint.get();
            if (!command.getFirst().equals("java") || !command.getLast().equals(LAUNCHER)) {
                problems.add("ENTRYPOINT does not start java " + LAUNCHER + ": " + command);
            }
            for (String flag : List.of("-XX:+ExitOnOutOfMemoryError", "-Djava.io.tmpdir=/tmp")) {
                if (!command.contains(flag)) {
                    problems.add("ENTRYPOINT lacks " + flag);
                }
            }
        }
        String jvm = runtime.env().getOrDefault("JDK_JAVA_OPTIONS", "");
        for (String flag : List.of("-XX:MaxRAMPercentage=", "-XX:InitialRAMPercentage=")) {
            if (!jvm.contains(flag)) {
                problems.add("JDK_JAVA_OPTIONS does not size the heap from the container's memory: no " + flag);
            }
        }
        Matcher makefileGc = GC.matcher(context.makefileJavaOpts());
        Matcher imageGc = GC.matcher(jvm);
        if (!makefileGc.find() || !imageGc.find() || !makefileGc.group().equals(imageGc.group())) {
            problems.add("the image's garbage collector differs from the Makefile's JAVA_OPTS");
        }
        Optional<Instruction> healthcheck = runtime.last("HEALTHCHECK");
        if (healthcheck.isEmpty() || healthcheck.get().execForm().isEmpty()) {
            problems.add("no HEALTHCHECK in exec form");
        }
        if (!"production".equals(runtime.env().get("APP_PROFILE"))) {
            problems.add("the image does not default to APP_PROFILE=production");
        }
        if (runtime.all("EXPOSE").stream().noneMatch(e -> e.arguments().equals("8088"))) {
            problems.add("port 8088 is not exposed");
        }
    }

    private static void checkWritablePaths(Stage runtime, Context context, List<String> problems) {
        List<String> volumes = runtime.all("VOLUME").stream().flatMap(v -> v.execForm().orElse(List.of()).stream()).toList();
        Map<String, String> env = runtime.env();
        for (String variable : context.writablePathVariables()) {
            String path = env.get(variable);
            boolean writable = path != null
                    && (path.startsWith("/tmp/") || volumes.stream().anyMatch(v -> path.startsWith(v + "/")));
            if (!writable) {
                problems.add(variable + " is not under /tmp or a VOLUME (the root filesystem is read-only): " + path);
            }
        }
    }
}
