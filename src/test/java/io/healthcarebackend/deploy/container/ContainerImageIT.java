package io.healthcarebackend.deploy.container;

import static org.assertj.core.api.Assertions.assertThat;

import io.healthcarebackend.deploy.container.Dockerfile.Instruction;
import io.healthcarebackend.deploy.container.Dockerfile.Stage;
import io.healthcarebackend.support.Commands;
import io.healthcarebackend.support.Ports;
import io.healthcarebackend.support.ProcessStarts;
import io.healthcarebackend.support.TestDatabase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The image's runtime stage rebuilt without a container engine, from the Dockerfile itself: the
 * packaged jar split by the same script the build stage runs, the layers copied as its COPY lines
 * say, started with its ENTRYPOINT, ENV and numeric USER on a read-only root filesystem (only /tmp
 * and the data volume writable; deploy/container/run-readonly.sh), in production with the secrets
 * compose.prod.yaml mounts (written by deploy/compose/generate-secrets.sh, read through the
 * configtree import), against a fresh database.
 */
class ContainerImageIT {

    /** Scaled by the load and extended while the service makes progress (ProcessStarts). */
    private static final Duration START_DEADLINE = Duration.ofSeconds(90);
    private final Path work = createWork();
    private final String database = TestDatabase.NAME + "_img";
    private Process app;

    @AfterEach
    void cleanUp() throws Exception {
        if (app != null && app.isAlive()) {
            app.destroyForcibly().waitFor();
        }
        TestDatabase.dropPair(database);
        try (Stream<Path> files = Files.walk(work)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Test
    void theImageStartsInProductionOnAReadOnlyRootAsItsUserAndPassesItsOwnHealthCheck() throws Exception {
        Dockerfile dockerfile = Dockerfile.read(Path.of("Dockerfile"));
        Stage runtime = dockerfile.runtime();
        Path app = layout(dockerfile);
        Path bin = work.resolve("bin");
        Path tmp = Files.createDirectories(work.resolve("tmp"));
        Path data = Files.createDirectories(work.resolve("data"));
        Path generated = work.resolve("generated-secrets");
        // Three starts of the packaged jar: a bound that grows with the machine's load.
        Commands.run(ProcessStarts.scaled(Duration.ofSeconds(60)), Map.of("REDIS_HOST", "127.0.0.1"),
                "deploy/compose/generate-secrets.sh", generated.toString()).orFail();
        // Compose mounts each secret file (mode kept) into a /run/secrets directory of its own.
        Path secrets = Files.createDirectories(work.resolve("run-secrets"));
        try (Stream<Path> files = Files.list(generated)) {
            for (Path file : files.toList()) {
                Files.copy(file, secrets.resolve(file.getFileName()), StandardCopyOption.COPY_ATTRIBUTES);
            }
        }
        TestDatabase.createPair(database);

        String volume = runtime.last("VOLUME").flatMap(Instruction::execForm).orElseThrow().getFirst();
        String user = runtime.last("USER").orElseThrow().arguments();
        int port = Ports.free();
        Map<String, String> env = new HashMap<>(runtime.env());
        env.put("PATH", bin + ":" + System.getProperty("java.home") + "/bin:/usr/bin:/bin");
        // What compose.prod.yaml adds to the image's environment, and the test's own database.
        env.put("SPRING_CONFIG_IMPORT", ComposeFiles.read(Path.of("compose.prod.yaml"))
                .path("services").path("api-1").path("environment").path("SPRING_CONFIG_IMPORT").asText());
        env.put("APP_ROLE", "api");
        env.put("PORT", Integer.toString(port));
        env.put("DATABASE_HOST", TestDatabase.HOST);
        env.put("DATABASE_PORT", TestDatabase.PORT);
        env.put("DATABASE_NAME", database);
        env.put("REDIS_URL", TestDatabase.REDIS_URL);
        env.put("REDIS_KEY_PREFIX", TestDatabase.REDIS_PREFIX + "image:");
        env.put("LOG_LEVEL", "INFO");
        assertThat(env).containsEntry("APP_PROFILE", "production");

        List<String> sandbox = List.of("deploy/container/run-readonly.sh", user, app.toString(), tmp.toString(),
                data + ":" + volume, secrets + ":/run/secrets:ro", "--");
        List<String> command = new ArrayList<>(sandbox);
        command.addAll(runtime.last("ENTRYPOINT").flatMap(Instruction::execForm).orElseThrow());
        Path log = work.resolve("app.log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().clear();
        builder.environment().putAll(env);
        this.app = builder.start();

        HttpResponse<String> health = awaitHealth(port, log);
        assertThat(health.statusCode()).as(health.body()).isEqualTo(200);
        assertThat(health.body()).contains("\"database\":\"connected\"", "\"redis\":\"connected\"", "\"role\":\"api\"");

        List<String> healthcheck = new ArrayList<>(sandbox);
        healthcheck.addAll(runtime.last("HEALTHCHECK").flatMap(Instruction::execForm).orElseThrow());
        Commands.Result healthy = Commands.run(Duration.ofSeconds(15), env, healthcheck);
        assertThat(healthy.exitCode()).as(healthy.output()).isZero();
        Map<String, String> nobodyListening = new HashMap<>(env);
        nobodyListening.put("PORT", Integer.toString(Ports.free()));
        assertThat(Commands.run(Duration.ofSeconds(15), nobodyListening, healthcheck).exitCode())
                .as("the health check fails when nothing answers").isNotZero();

        // It wrote only where the image allows: the volume (as its user) and /tmp (Tomcat, the JVM).
        Path checkpoints = data.resolve(Path.of(env.get("AUDIT_CHECKPOINT_DIR")).getFileName());
        assertThat(checkpoints).isDirectory();
        assertThat(Files.getOwner(checkpoints).getName()).isEqualTo(user.split(":")[0]);
        try (Stream<Path> inTmp = Files.list(tmp)) {
            assertThat(inTmp.map(p -> p.getFileName().toString())).anyMatch(name -> name.startsWith("tomcat"));
        }

        // SIGTERM reaches the JVM (the ENTRYPOINT execs it): a graceful shutdown, then exit.
        this.app.destroy();
        assertThat(this.app.waitFor(45, TimeUnit.SECONDS)).as("stopped within the stop grace period").isTrue();
        String output = Files.readString(log);
        assertThat(output).contains("Picked up JDK_JAVA_OPTIONS: " + env.get("JDK_JAVA_OPTIONS"))
                .contains("Graceful shutdown complete")
                .doesNotContain("Refusing to start");
        assertThat(this.app.exitValue()).as(output).isEqualTo(143);
    }

    /** The runtime stage's /app: the build stage's extraction, then each COPY --from of the runtime stage. */
    private Path layout(Dockerfile dockerfile) throws IOException {
        Stage build = dockerfile.stages().getFirst();
        Matcher extract = Pattern.compile("(deploy/container/extract-layers\\.sh) (\\S+) (\\S+)").matcher(
                build.all("RUN").stream().map(Instruction::arguments).reduce("", String::concat));
        assertThat(extract.find()).as("the build stage runs extract-layers.sh").isTrue();
        Path layers = work.resolve("layers");
        Commands.run(Duration.ofSeconds(60), extract.group(1), extract.group(2), layers.toString()).orFail();

        Stage runtime = dockerfile.runtime();
        String workdir = runtime.last("WORKDIR").orElseThrow().arguments();
        Path app = Files.createDirectories(work.resolve("app"));
        for (Instruction copy : runtime.all("COPY")) {
            String[] paths = copy.withoutFlags().split(" ");
            boolean fromBuild = build.name().equals(copy.flags().get("from"));
            Path source = fromBuild ? layers.resolve(Path.of(extract.group(3)).relativize(Path.of(paths[0])))
                    : Path.of(paths[0]);
            String target = paths[1].startsWith("/") ? paths[1] : workdir + "/" + paths[1];
            Path destination = target.startsWith(workdir) ? app.resolve(Path.of(workdir).relativize(Path.of(target)))
                    : work.resolve("bin").resolve(Path.of(target).getFileName());
            copyTree(source, destination);
            String chmod = copy.flags().get("chmod");
            if (chmod != null) {
                Files.setPosixFilePermissions(destination, permissions(Integer.parseInt(chmod, 8)));
            }
        }
        assertThat(app.resolve("org/springframework/boot/loader/launch/JarLauncher.class")).isRegularFile();
        assertThat(app.resolve("BOOT-INF/classes/application.yml")).isRegularFile();
        return app;
    }

    private static java.util.Set<java.nio.file.attribute.PosixFilePermission> permissions(int mode) {
        java.nio.file.attribute.PosixFilePermission[] all = java.nio.file.attribute.PosixFilePermission.values();
        java.util.Set<java.nio.file.attribute.PosixFilePermission> set = java.util.EnumSet.noneOf(
                java.nio.file.attribute.PosixFilePermission.class);
        for (int bit = 0; bit < 9; bit++) {
            if ((mode & (1 << (8 - bit))) != 0) {
                set.add(all[bit]);
            }
        }
        return set;
    }

    private static void copyTree(Path source, Path destination) throws IOException {
        if (Files.isRegularFile(source)) {
            Files.createDirectories(destination.getParent());
            Files.copy(source, destination, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
            return;
        }
        try (Stream<Path> files = Files.walk(source)) {
            for (Path file : files.toList()) {
                Path to = destination.resolve(source.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(file, to, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    private HttpResponse<String> awaitHealth(int port, Path log) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
                .timeout(Duration.ofSeconds(5)).build();
        AtomicReference<HttpResponse<String>> healthy = new AtomicReference<>();
        ProcessStarts.await("a healthy /health", app, log, START_DEADLINE, () -> {
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    healthy.set(response);
                    return true;
                }
                return false;
            } catch (IOException notYet) {
                return false; // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        });
        return healthy.get();
    }


    /**
     * Under /var/tmp: not under /tmp, which the sandbox replaces (a checkout under /tmp would vanish
     * from the command's view), and reachable by the image's user wherever the checkout lies (a
     * checkout under a private home directory would not be).
     */
    private static Path createWork() {
        try {
            // Readable by the image's user, as the image's root-owned files are (755/644).
            return Files.createTempDirectory(Files.createDirectories(Path.of("/var/tmp")), "hb-container-it-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
