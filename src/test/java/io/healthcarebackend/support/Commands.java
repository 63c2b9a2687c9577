package io.healthcarebackend.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the repository's own operator commands (scripts, make targets, kubectl) the way an operator
 * would: from the repository root, with extra environment variables, a deadline, and the combined
 * output kept for the assertion message.
 */
public final class Commands {

    /** What a finished command left: its exit status and everything it printed (stdout and stderr). */
    public record Result(int exitCode, String output) {

        /** The result, or an error holding the whole output when the command did not exit 0. */
        public Result orFail() {
            if (exitCode != 0) {
                throw new AssertionError("command exited " + exitCode + ":\n" + output);
            }
            return this;
        }
    }

    private Commands() {
    }

    /** The repository root: tests run with it as their working directory. */
    public static Path root() {
        return Path.of("").toAbsolutePath();
    }

    public static Result run(Duration timeout, String... command) {
        return run(timeout, Map.of(), List.of(command));
    }

    public static Result run(Duration timeout, Map<String, String> env, String... command) {
        return run(timeout, env, List.of(command));
    }

    /**
     * Runs {@code command} to completion; kills it (and fails) past {@code timeout}. The output goes
     * through a file so a chatty command never blocks on a full pipe.
     */
    public static Result run(Duration timeout, Map<String, String> env, List<String> command) {
        try {
            Path out = Files.createTempFile("hb-command", ".log");
            try {
                ProcessBuilder builder = new ProcessBuilder(command).directory(root().toFile())
                        .redirectErrorStream(true).redirectOutput(out.toFile());
                builder.environment().putAll(env);
                Process process = builder.start();
                if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.descendants().forEach(ProcessHandle::destroyForcibly);
                    process.destroyForcibly().waitFor();
                    throw new AssertionError(String.join(" ", command) + " did not finish within " + timeout + ":\n"
                            + Files.readString(out, StandardCharsets.UTF_8));
                }
                return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not run " + String.join(" ", command), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + String.join(" ", command), e);
        }
    }
}
