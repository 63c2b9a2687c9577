package io.healthcarebackend.deploy.container;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The Dockerfile and .dockerignore against the image policy (ImagePolicy), without an engine. */
class DockerfileTest {

    /** The inputs of the policy read from the repository: .dockerignore, the Makefile, application.yml. */
    static ImagePolicy.Context repositoryContext() throws IOException {
        List<String> ignore = Files.readAllLines(Path.of(".dockerignore")).stream().map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        String javaOpts = Files.readAllLines(Path.of("Makefile")).stream().filter(l -> l.startsWith("JAVA_OPTS"))
                .findFirst().orElseThrow(() -> new AssertionError("the Makefile defines no JAVA_OPTS"));
        // Every setting whose default is a path under var/ (relative to the read-only working directory).
        Matcher m = Pattern.compile("\\$\\{([A-Z0-9_]+):var/").matcher(Files.readString(Path.of("src/main/resources/application.yml")));
        Set<String> writable = new TreeSet<>();
        while (m.find()) {
            writable.add(m.group(1));
        }
        assertThat(writable).as("application.yml's var/ defaults").contains("AUDIT_CHECKPOINT_DIR", "JWT_DEV_KEY_FILE");
        return new ImagePolicy.Context(ignore, javaOpts, writable);
    }

    @Test
    void theDockerfileMeetsTheImagePolicy() throws IOException {
        assertThat(ImagePolicy.problems(Dockerfile.read(Path.of("Dockerfile")), repositoryContext())).isEmpty();
    }

    @Test
    void theRuntimeStageRedirectsEveryPathTheServiceWritesAwayFromTheReadOnlyRoot() throws IOException {
        Dockerfile.Stage runtime = Dockerfile.read(Path.of("Dockerfile")).runtime();
        assertThat(runtime.env()).containsKeys(repositoryContext().writablePathVariables().toArray(String[]::new))
                .containsEntry("AUDIT_CHECKPOINT_DIR", "/var/lib/healthcare-backend/audit-checkpoints")
                .containsEntry("AUDIT_EXPORT_DIR", "/var/lib/healthcare-backend/audit-exports");
        assertThat(runtime.last("VOLUME").orElseThrow().execForm()).contains(List.of("/var/lib/healthcare-backend"));
    }

    @Test
    void aDockerfileBreakingThePolicyIsRefusedForEachBrokenRule() throws IOException {
        Dockerfile bad = Dockerfile.parse("""
                FROM eclipse-temurin:25-jdk AS build
                RUN ./mvnw package
                FROM eclipse-temurin:latest
                COPY --from=build --chown=10001 /src/target/healthcare-backend.jar /app/app.jar
                ENV JDK_JAVA_OPTIONS="-XX:+UseG1GC" \\
                    AUDIT_CHECKPOINT_DIR=var/audit-checkpoints
                USER root
                ENTRYPOINT java -jar /app/app.jar
                """);
        ImagePolicy.Context context = new ImagePolicy.Context(List.of("target"), "JAVA_OPTS ?= -XX:+UseSerialGC",
                Set.of("AUDIT_CHECKPOINT_DIR"));
        assertThat(ImagePolicy.problems(bad, context)).containsExactlyInAnyOrder(
                "base image not pinned to a release: eclipse-temurin:25-jdk",
                "base image not pinned to a release: eclipse-temurin:latest",
                "build stage does not package with the Maven Wrapper and extract the layers",
                "runtime stage is not a Temurin 25 JRE: eclipse-temurin:latest",
                "runtime user is not the numeric 10001:10001: root",
                "runtime stage does not copy the layers one by one in order [/layers/dependencies/, "
                        + "/layers/spring-boot-loader/, /layers/snapshot-dependencies/, /layers/application/]: "
                        + "[/src/target/healthcare-backend.jar]",
                "runtime stage gives files to the app user (COPY --chown): they must stay root's",
                "ENTRYPOINT is missing or not in exec form (SIGTERM would not reach the JVM)",
                "JDK_JAVA_OPTIONS does not size the heap from the container's memory: no -XX:MaxRAMPercentage=",
                "JDK_JAVA_OPTIONS does not size the heap from the container's memory: no -XX:InitialRAMPercentage=",
                "the image's garbage collector differs from the Makefile's JAVA_OPTS",
                "no HEALTHCHECK in exec form",
                "the image does not default to APP_PROFILE=production",
                "port 8088 is not exposed",
                "AUDIT_CHECKPOINT_DIR is not under /tmp or a VOLUME (the root filesystem is read-only): var/audit-checkpoints",
                ".dockerignore does not exclude .git",
                ".dockerignore does not exclude var");
    }
}
