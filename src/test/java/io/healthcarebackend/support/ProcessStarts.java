package io.healthcarebackend.support;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Waits for a process a test started (a service JVM) to get somewhere — healthy, ready — the way
 * {@code scripts/cluster.sh} waits for an instance to become ready: on a busy machine a start is
 * slow, not broken, so the wait is not a fixed bound. It goes on as long as the process makes
 * progress (it uses CPU time or its log grows) and fails when the process exits, when it made no
 * progress for {@link #STALL}, or when the overall bound passes: the base bound times the load
 * average per core (at least 1, at most 10 times; the highest load seen during the wait counts).
 */
public final class ProcessStarts {

    /** How long a starting process may go without using CPU time or writing to its log. */
    public static final Duration STALL = Duration.ofSeconds(120);
    private static final int MAX_FACTOR = 10;
    private static final long POLL_MILLIS = 200;

    private ProcessStarts() {
    }

    /** {@code base} times the load average per core (1 to 10 times): a bound for a command that starts a JVM. */
    public static Duration scaled(Duration base) {
        return Duration.ofMillis(Math.round(base.toMillis() * loadFactor()));
    }

    /**
     * Polls {@code condition} every 200 ms until it holds; fails with {@code what} and the end of
     * {@code log} when {@code process} exits first, makes no progress for {@link #STALL}, or the
     * wait passes {@code base} scaled by the load (see the class comment).
     */
    public static void await(String what, Process process, Path log, Duration base, BooleanSupplier condition)
            throws InterruptedException {
        long started = System.nanoTime();
        long lastProgress = started;
        double factor = loadFactor();
        String mark = progressMark(process, log);
        while (!condition.getAsBoolean()) {
            long now = System.nanoTime();
            if (!process.isAlive()) {
                throw new AssertionError(what + ": the process exited with status " + process.exitValue()
                        + tail(log));
            }
            String current = progressMark(process, log);
            if (!current.equals(mark)) {
                mark = current;
                lastProgress = now;
            }
            if (now - lastProgress > STALL.toNanos()) {
                throw new AssertionError(what + ": no progress (CPU time, log) for " + STALL + tail(log));
            }
            factor = Math.max(factor, loadFactor());
            Duration bound = Duration.ofMillis(Math.round(base.toMillis() * factor));
            if (now - started > bound.toNanos()) {
                throw new AssertionError(what + ": not within " + bound + " (" + base + " times the load per core)"
                        + tail(log));
            }
            Thread.sleep(POLL_MILLIS);
        }
    }

    /** The load average per core, clamped to 1…10; 1 where the system does not report one. */
    static double loadFactor() {
        double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        if (load < 0) {
            return 1;
        }
        double perCore = load / Runtime.getRuntime().availableProcessors();
        return Math.clamp(perCore, 1, MAX_FACTOR);
    }

    /** Changes whenever the process (or one it started: a wrapper's JVM) uses CPU time or its log grows. */
    private static String progressMark(Process process, Path log) {
        long cpu = java.util.stream.Stream.concat(java.util.stream.Stream.of(process.toHandle()), process.descendants())
                .mapToLong(p -> p.info().totalCpuDuration().map(Duration::toMillis).orElse(0L)).sum();
        long size;
        try {
            size = Files.size(log);
        } catch (IOException noLogYet) {
            size = -1;
        }
        return cpu + ":" + size;
    }

    private static String tail(Path log) {
        try {
            String text = Files.readString(log);
            return ":\n" + text.substring(Math.max(0, text.length() - 4000));
        } catch (IOException e) {
            return " (no log: " + e + ")";
        }
    }
}
