package io.healthcarebackend.support;

import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.context.cache.ContextCache;

/**
 * One fresh PostgreSQL database per test run, created with the same script developers use
 * ({@code scripts/db-init.sh}) and dropped when the run ends; one Redis key prefix per run,
 * deleted at the end. Runs are isolated from each other and from the development database.
 */
public final class TestDatabase implements LauncherSessionListener {

    public static final String RUN = UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    public static final String NAME = "hb_test_" + RUN;
    /** The key store beside it (scripts/db-init.sh creates both). */
    public static final String KEYS_NAME = NAME + "_keys";
    public static final String REDIS_PREFIX = "hbtest:" + RUN + ":";
    public static final String HOST = System.getenv().getOrDefault("DATABASE_HOST", "127.0.0.1");
    public static final String PORT = System.getenv().getOrDefault("DATABASE_PORT", "5432");
    public static final String REDIS_URL = System.getenv().getOrDefault("TEST_REDIS_URL", "redis://127.0.0.1:6379");

    private static boolean created;

    @Override
    public synchronized void launcherSessionOpened(LauncherSession session) {
        if (created) {
            return;
        }
        run("scripts/db-init.sh", NAME);
        created = true;
        System.setProperty("spring.profiles.active", "test");
        System.setProperty("spring.datasource.url", jdbcUrl());
        System.setProperty("app.phi.keystore.url", keysJdbcUrl());
        System.setProperty("app.redis.url", REDIS_URL);
        System.setProperty("app.redis.key-prefix", REDIS_PREFIX);
        try {
            Path key = Files.createTempFile("hb-test-jwt", ".json");
            Files.delete(key);
            key.toFile().deleteOnExit();
            System.setProperty("app.jwt.dev-key-file", key.toString());
            Path audit = Files.createTempDirectory("hb-test-audit");
            audit.toFile().deleteOnExit();
            System.setProperty("app.audit.dev-key-file", audit.resolve("signing-key").toString());
            System.setProperty("app.audit.checkpoint-dir", audit.resolve("checkpoints").toString());
            Path master = Files.createTempFile("hb-test-phi-master", ".json");
            Files.delete(master);
            master.toFile().deleteOnExit();
            System.setProperty("app.phi.dev-master-keyset-file", master.toString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public synchronized void launcherSessionClosed(LauncherSession session) {
        if (!created) {
            return;
        }
        closeSpringContexts();
        try {
            dropPair(NAME);
        } catch (SQLException e) {
            System.err.println("Could not drop test database " + NAME + ": " + e.getMessage());
        }
        try {
            new ProcessBuilder("sh", "-c", "redis-cli --scan --pattern '" + REDIS_PREFIX + "*' | xargs -r redis-cli del")
                    .inheritIO().start().waitFor();
        } catch (IOException e) {
            System.err.println("Could not clean Redis keys: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        created = false;
    }

    /**
     * Closes the application contexts Spring's test framework keeps cached, before their database
     * is dropped: left to the JVM's exit, each one's shutdown waits on connections to a database
     * that no longer exists (5 s per context). The cache is Spring's package-private static.
     */
    @SuppressWarnings("unchecked")
    private static void closeSpringContexts() {
        try {
            Field cache = Class.forName("org.springframework.test.context.cache.DefaultCacheAwareContextLoaderDelegate")
                    .getDeclaredField("defaultContextCache");
            cache.setAccessible(true);
            ((ContextCache) cache.get(null)).clear();
        } catch (ReflectiveOperationException | RuntimeException e) {
            System.err.println("Spring test contexts stay open until the JVM exits: " + e);
        }
        // Applications tests started themselves and every other context Spring Boot still has
        // registered for its JVM shutdown hook.
        try {
            Field hook = SpringApplication.class.getDeclaredField("shutdownHook");
            hook.setAccessible(true);
            Object shutdownHook = hook.get(null);
            Field contexts = shutdownHook.getClass().getDeclaredField("contexts");
            contexts.setAccessible(true);
            List<ConfigurableApplicationContext> open;
            synchronized (shutdownHook) {
                open = new ArrayList<>((Set<ConfigurableApplicationContext>) contexts.get(shutdownHook));
            }
            for (ConfigurableApplicationContext context : open) {
                if (context.isActive()) {
                    context.close();
                }
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            System.err.println("Spring Boot applications stay open until the JVM exits: " + e);
        }
    }

    /**
     * Another database and its key store beside the run's, created with the same script as the
     * run's (tests of operator tools that need one of their own). {@link #dropPair} removes both.
     */
    public static void createPair(String name) {
        run("scripts/db-init.sh", name);
    }

    /** Drops a database and its key store {@code <name>_keys}, ending their connections first. */
    public static void dropPair(String name) throws SQLException {
        try (Connection c = admin(); var s = c.createStatement()) {
            for (String db : new String[] {name, name + "_keys"}) {
                s.execute("select pg_terminate_backend(pid) from pg_stat_activity where datname = '" + db + "'");
                s.execute("drop database if exists " + db);
            }
        }
    }

    public static String jdbcUrl() {
        return "jdbc:postgresql://" + HOST + ":" + PORT + "/" + NAME;
    }

    public static String keysJdbcUrl() {
        return "jdbc:postgresql://" + HOST + ":" + PORT + "/" + KEYS_NAME;
    }

    public static Connection superuserOnKeysDb() throws SQLException {
        return DriverManager.getConnection(keysJdbcUrl(), "postgres", "");
    }

    /** A connection as the database superuser, for tests that play the attacker or the operator. */
    public static Connection admin() throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://" + HOST + ":" + PORT + "/postgres", "postgres", "");
    }

    public static Connection superuserOnTestDb() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), "postgres", "");
    }

    /** A connection as the application's own role, subject to row-level security. */
    public static Connection asApplication() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), "hb_app", "hb_app_dev");
    }

    private static void run(String... command) {
        try {
            Process p = new ProcessBuilder(command).inheritIO().start();
            if (p.waitFor() != 0) {
                throw new IllegalStateException("failed: " + String.join(" ", command));
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
