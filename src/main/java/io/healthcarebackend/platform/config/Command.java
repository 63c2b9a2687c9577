package io.healthcarebackend.platform.config;

/**
 * An operator command run instead of the server: {@code java -jar app.jar <name> [args]}. The
 * application starts without its web server, runs the command bean of that name, and exits with
 * the command's status.
 */
public interface Command {

    String name();

    /** Returns the process exit status: 0 for success. */
    int run(String... args) throws Exception;
}
