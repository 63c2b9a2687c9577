package io.healthcarebackend.platform.db;

import java.sql.SQLException;
import org.springframework.dao.DataAccessException;

/** Reads PostgreSQL's SQLSTATE and constraint name out of Spring's translated exceptions. */
public final class PgErrors {

    public static final String UNIQUE_VIOLATION = "23505";
    public static final String FOREIGN_KEY_VIOLATION = "23503";
    public static final String EXCLUSION_VIOLATION = "23P01";
    public static final String DEADLOCK = "40P01";
    /** statement_timeout reached (or the statement cancelled). */
    public static final String QUERY_CANCELED = "57014";

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

    private static String sqlState(DataAccessException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s && s.getSQLState() != null) {
                return s.getSQLState();
            }
        }
        return null;
    }
}
