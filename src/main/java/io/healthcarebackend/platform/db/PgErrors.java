package io.healthcarebackend.platform.db;

import java.io.IOException;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import java.sql.SQLNonTransientConnectionException;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.function.Predicate;
import org.springframework.dao.DataAccessException;

/**
 * Reads PostgreSQL's SQLSTATE and constraint name out of Spring's translated exceptions, and tells
 * which SQLSTATEs are outages rather than faults of the request ({@link #failureOf}).
 */
public final class PgErrors {

    public static final String UNIQUE_VIOLATION = "23505";
    public static final String FOREIGN_KEY_VIOLATION = "23503";
    public static final String EXCLUSION_VIOLATION = "23P01";
    public static final String SERIALIZATION_FAILURE = "40001";
    public static final String DEADLOCK = "40P01";
    /** lock_timeout reached (or NOWAIT refused). */
    public static final String LOCK_NOT_AVAILABLE = "55P03";
    /** statement_timeout reached (or the statement cancelled). */
    public static final String QUERY_CANCELED = "57014";

    /** What a failed statement says about the database, as far as the client is concerned. */
    public enum Failure {
        /** Connection refused, broken or shut down; no room for another (class 08, 53, 57P01–57P03, 58). */
        UNAVAILABLE,
        /** The statement ran past its time budget and was cancelled. */
        TIMED_OUT,
        /** Lost a race with a concurrent transaction (serialization failure, deadlock, lock timeout). */
        TRANSIENT_CONFLICT
    }

    private PgErrors() {
    }

    public static boolean is(DataAccessException e, String sqlState) {
        return sqlState.equals(sqlState(e));
    }

    public static String constraint(DataAccessException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof org.postgresql.util.PSQLException p && p.getServerErrorMessage() != null) {
                return p.getServerErrorMessage().getConstraint();
            }
        }
        return null;
    }

    /** The first SQLSTATE in the cause chain, however deep; null when there is none. */
    public static String sqlState(Throwable e) {
        SQLException found = (SQLException) first(e, t -> t instanceof SQLException s && s.getSQLState() != null);
        return found == null ? null : found.getSQLState();
    }

    /** The outage a SQLSTATE in the chain stands for, or null when it is none (or there is no SQLSTATE). */
    public static Failure failureOf(Throwable e) {
        String state = sqlState(e);
        if (state == null || state.length() != 5) {
            return null;
        }
        if (state.equals(QUERY_CANCELED)) {
            return Failure.TIMED_OUT;
        }
        if (state.equals(SERIALIZATION_FAILURE) || state.equals(DEADLOCK) || state.equals(LOCK_NOT_AVAILABLE)) {
            return Failure.TRANSIENT_CONFLICT;
        }
        String type = state.substring(0, 2);
        boolean shutdown = state.equals("57P01") || state.equals("57P02") || state.equals("57P03");
        return type.equals("08") || type.equals("53") || type.equals("58") || shutdown ? Failure.UNAVAILABLE : null;
    }

    /**
     * Whether the chain shows the connection itself was lost (class 08, the server shutting down or
     * terminating the backend, or an I/O failure without a SQLSTATE): what was in flight on it may
     * or may not have happened.
     */
    public static boolean connectionLost(Throwable e) {
        String state = sqlState(e);
        if (state != null) {
            return state.startsWith("08") || state.equals("57P01") || state.equals("57P02") || state.equals("57P03");
        }
        return first(e, t -> t instanceof IOException || t instanceof SQLRecoverableException
                || t instanceof SQLTransientConnectionException || t instanceof SQLNonTransientConnectionException)
                != null;
    }

    /** The first throwable in the cause chain (cycles and absurd depths cut off) that matches. */
    public static Throwable first(Throwable e, Predicate<Throwable> matches) {
        Map<Throwable, Boolean> seen = new IdentityHashMap<>();
        for (Throwable t = e; t != null && seen.size() < 32 && seen.put(t, Boolean.TRUE) == null; t = t.getCause()) {
            if (matches.test(t)) {
                return t;
            }
        }
        return null;
    }
}
