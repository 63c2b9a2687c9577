package io.healthcarebackend.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.healthcarebackend.support.Commands;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Maintenance targets ({@code make jwt-key}, {@code make rotate-keys}, {@code make audit-verify}, …)
 * rebuild target/healthcare-backend.jar in place; a {@code make run} reading that file would lose
 * its classes. So every target runs the jar from a private copy (scripts/run-jar.sh), which no
 * build writes: checked on what {@code make -n} prints for every target, and on the script itself.
 */
class RunJarTest {

    /** {@code java … -jar <file>} in a recipe line. */
    private static final Pattern JAVA_JAR = Pattern.compile("(?:^|[\\s;&|(])(?:\\S*/)?java\\s(?:[^;&|]*\\s)?-jar\\s+(\\S+)");
    private static final String JAR = "target/healthcare-backend.jar";

    @Test
    void noTargetRunsTheJarThatBuildsRewriteAndEveryJarTargetRunsAPrivateCopy() throws IOException {
        Set<String> viaCopy = new TreeSet<>();
        List<String> direct = new ArrayList<>();
        for (String target : OperationsDocsTest.makeTargets()) {
            Commands.Result plan = Commands.run(Duration.ofMinutes(1), Map.of("FILE", "audit-2026-01.ndjson.gz"),
                    "make", "-n", "--no-print-directory", target);
            assertThat(plan.exitCode()).as("make -n " + target + ":\n" + plan.output()).isZero();
            for (String line : plan.output().lines().toList()) {
                Matcher m = JAVA_JAR.matcher(line);
                while (m.find()) {
                    if (m.group(1).equals(JAR) || m.group(1).equals("$(JAR)")) {
                        direct.add(target + ": " + line.strip());
                    }
                }
                if (line.contains("scripts/run-jar.sh")) {
                    viaCopy.add(target);
                }
            }
        }
        assertThat(direct).as("targets running " + JAR + " itself (a concurrent build rewrites it)").isEmpty();
        assertThat(viaCopy).as("targets running the jar through scripts/run-jar.sh").contains("run", "run-api",
                "run-worker", "jwt-key", "audit-key", "audit-verify", "phi-master-key", "rotate-keys",
                "audit-retention", "audit-verify-export");
    }

    @Test
    void theJarRunsFromACopyThatARebuildLeavesAloneAndTheCopyGoesWithTheProcess(@TempDir Path dir) throws Exception {
        Path jar = dir.resolve("app.jar");
        Files.writeString(jar, "build 1");
        Path runDir = dir.resolve("run");
        Path started = dir.resolve("started");
        Path rebuilt = dir.resolve("rebuilt");
        Process run = runJar(dir, jar, runDir, rebuilt, "-Xmx64m", "--", "audit-verify");

        awaitFile(started, run);
        // What `mvn package` does to the jar: rewrite the same file in place.
        Files.writeString(jar, "build 2 (a rebuild under the running process)");
        Files.createFile(rebuilt);

        assertThat(run.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String output = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(run.exitValue()).as(output).isEqualTo(3);
        List<String> args = Files.readAllLines(started);
        assertThat(args).containsSubsequence("-Xmx64m", "-jar").endsWith("audit-verify");
        Path copy = Path.of(args.get(args.indexOf("-jar") + 1));
        assertThat(copy).as("the jar the JVM ran").isNotEqualTo(jar);
        assertThat(copy.getParent()).isEqualTo(runDir);
        assertThat(output).as("what the running process read from its jar").isEqualTo("build 1");
        assertThat(copy).as("the copy after the process ended").doesNotExist();
    }

    @Test
    void aStopSignalReachesTheJvmAndItsExitStatusIsReturned(@TempDir Path dir) throws Exception {
        Path jar = dir.resolve("app.jar");
        Files.writeString(jar, "build 1");
        Path started = dir.resolve("started");
        Process run = runJar(dir, jar, dir.resolve("run"), dir.resolve("never"), "--");
        awaitFile(started, run);

        run.destroy(); // SIGTERM, as make's Ctrl-C handling or an operator's kill sends it

        assertThat(run.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(dir.resolve("terminated")).as("the JVM got SIGTERM").exists();
        assertThat(run.exitValue()).isEqualTo(143);
        try (var copies = Files.list(dir.resolve("run"))) {
            assertThat(copies).as("copies left behind").isEmpty();
        }
    }

    /**
     * scripts/run-jar.sh with a stand-in for java that records its arguments in {@code dir/started},
     * reads its jar once {@code proceed} exists and exits 3, or exits 143 on SIGTERM.
     */
    private static Process runJar(Path dir, Path jar, Path runDir, Path proceed, String... args)
            throws IOException {
        Path java = dir.resolve("java");
        Files.writeString(java, """
                #!/bin/sh
                trap 'touch "$OUT/terminated"; exit 143' TERM
                for a in "$@"; do [ "$prev" = -jar ] && jar="$a"; prev="$a"; done
                printf '%s\\n' "$@" > "$OUT/started.tmp" && mv "$OUT/started.tmp" "$OUT/started"
                while [ ! -f "$PROCEED" ]; do sleep 0.1; done
                cat "$jar"
                exit 3
                """);
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwx------"));
        List<String> command = new ArrayList<>(List.of(Commands.root().resolve("scripts/run-jar.sh").toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(Map.of("JAR", jar.toString(), "RUN_DIR", runDir.toString(),
                "JAVA", java.toString(), "OUT", dir.toString(), "PROCEED", proceed.toString()));
        return builder.start();
    }

    private static void awaitFile(Path file, Process process) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (!Files.exists(file)) {
            assertThat(process.isAlive()).as("scripts/run-jar.sh is running").isTrue();
            assertThat(Instant.now()).as("waiting for " + file).isBefore(deadline);
            Thread.sleep(50);
        }
    }
}
