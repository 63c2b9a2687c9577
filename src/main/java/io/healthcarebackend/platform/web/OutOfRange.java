package io.healthcarebackend.platform.web;

import io.healthcarebackend.platform.SupportedRange;
import java.sql.SQLException;
import java.util.Set;

/** Recognises a value out of range behind an exception, whichever layer noticed it. */
final class OutOfRange {

    /** PostgreSQL's data exceptions for a value out of range: datetime/numeric overflow, bad date, bad zone offset. */
    private static final Set<String> OUT_OF_RANGE_STATES = Set.of("22008", "22003", "22007", "22009");

    private OutOfRange() {
    }

    /**
     * Whether {@code e} or one of its causes is an out-of-range refusal: ours, a java.time or integer
     * overflow, or PostgreSQL's. A date that does not parse is a format error, not this.
     */
    static boolean causedBy(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof SupportedRange.OutOfRange || cause instanceof DateRangeModule.DateOutOfRange
                    || cause instanceof ArithmeticException || (cause instanceof java.time.DateTimeException
                            && !(cause instanceof java.time.format.DateTimeParseException))) {
                return true;
            }
            if (cause instanceof SQLException sql && sql.getSQLState() != null
                    && OUT_OF_RANGE_STATES.contains(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }
}
