package io.healthcarebackend.platform;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;

/**
 * The dates the service takes from a client: years 1 to 9999. Java's date types reach
 * ±999,999,999 and PostgreSQL's timestamps 4713 BC to 294276 AD, and arithmetic near either edge
 * overflows; no appointment, birth date or audit query needs more than four digits of year. Every
 * date a request carries goes through {@link #check} (JSON bodies in platform.web.DateRangeModule,
 * query parameters in platform.web.DateRangeFormatters, cursors in {@link Cursor}); what still
 * overflows further in (a database range, java.time arithmetic) is a 400 {@code VALUE_OUT_OF_RANGE}
 * in platform.web.ProblemHandler, not a 500.
 */
public final class SupportedRange {

    public static final int MIN_YEAR = 1;
    public static final int MAX_YEAR = 9999;
    public static final String CODE = "VALUE_OUT_OF_RANGE";
    public static final String DETAIL = "A date or number is outside the supported range (dates: years "
            + MIN_YEAR + " to " + MAX_YEAR + ")";

    private SupportedRange() {
    }

    /** A date outside the supported years. Never carries the value (it may be a birth date). */
    public static final class OutOfRange extends IllegalArgumentException {
        OutOfRange() {
            super("date outside the years " + MIN_YEAR + " to " + MAX_YEAR);
        }
    }

    /** The value itself when it is no date or a date within the supported years. */
    public static <T> T check(T value) {
        if (value instanceof TemporalAccessor temporal) {
            int year = yearOf(temporal);
            if (year < MIN_YEAR || year > MAX_YEAR) {
                throw new OutOfRange();
            }
        }
        return value;
    }

    private static int yearOf(TemporalAccessor temporal) {
        if (temporal instanceof Instant instant) {
            return instant.atOffset(ZoneOffset.UTC).getYear();
        }
        return temporal.isSupported(ChronoField.YEAR) ? temporal.get(ChronoField.YEAR) : MIN_YEAR;
    }
}
