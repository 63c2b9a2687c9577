package io.healthcarebackend.support;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The audit trail as stored, read as the database superuser (past row-level security). Tests tag
 * each request with its own W3C trace id and find the request's events by it, so events of other
 * tests never get in the way.
 */
public final class AuditLog {

    public static final String USER_AGENT = "AuditTest/1.0 (+https://tests.invalid)";

    private AuditLog() {
    }

    /**
     * A test's tag for its requests: the headers to send them with (a traceparent of its own and a
     * known User-Agent). The service keeps the traceparent only as the parent and gives each request
     * a trace id of its own; {@link #ids()} are those ids, as answered in X-Trace-Id (sent through {@link Api}).
     */
    public record Trace(String parent, Map<String, String> headers) {
        public static Trace next() {
            byte[] trace = new byte[16];
            byte[] span = new byte[8];
            ThreadLocalRandom.current().nextBytes(trace);
            ThreadLocalRandom.current().nextBytes(span);
            String parent = HexFormat.of().formatHex(trace);
            return new Trace(parent, Map.of("traceparent", "00-" + parent + "-" + HexFormat.of().formatHex(span)
                    + "-01", "User-Agent", USER_AGENT));
        }

        /** The service's trace ids of the requests sent with this tag, oldest first. */
        public List<String> ids() {
            return Api.traceIdsAnswered(headers.get("traceparent"));
        }

        /** The service's trace id of the last request sent with this tag. */
        public String id() {
            List<String> ids = ids();
            if (ids.isEmpty()) {
                throw new IllegalStateException("no request was sent (through Api) with trace " + parent);
            }
            return ids.getLast();
        }
    }

    /** Every column of the events the requests sent with {@code trace} wrote, oldest first; uuids as text. */
    public static List<Map<String, String>> eventsOf(Trace trace) {
        List<Map<String, String>> events = new ArrayList<>();
        for (String id : trace.ids()) {
            events.addAll(query("select * from audit_events where trace_id = ? order by at, id", id));
        }
        events.sort(java.util.Comparator.comparing((Map<String, String> e) -> e.get("at"))
                .thenComparing(e -> e.get("id")));
        return events;
    }

    /** Every column of the events about one patient, oldest first. */
    public static List<Map<String, String>> eventsOfPatient(String patientId) {
        return query("select * from audit_events where patient_id = cast(? as uuid) order by at, id", patientId);
    }

    /** Every column of the events stored under one trace id, oldest first. */
    public static List<Map<String, String>> eventsWithTraceId(String traceId) {
        return query("select * from audit_events where trace_id = ? order by at, id", traceId);
    }

    /** Every column of the events about one resource (a session, a user), oldest first. */
    public static List<Map<String, String>> eventsAbout(String resourceId) {
        return query("select * from audit_events where resource_id = cast(? as uuid) order by at, id", resourceId);
    }

    /** The text of every column of every stored event, for scanning for values that must not be there. */
    public static List<String> everyValue() {
        List<String> values = new ArrayList<>();
        for (Map<String, String> row : query("select * from audit_events", null)) {
            row.values().stream().filter(v -> v != null).forEach(values::add);
        }
        return values;
    }

    /**
     * Makes the audit store unwritable for the service (its role loses INSERT) until closed. Tests
     * run one at a time, so no other test sees the outage.
     */
    public static AutoCloseable unwritable() {
        execute("revoke insert on audit_events from hb_app");
        return () -> execute("grant insert on audit_events to hb_app");
    }

    private static void execute(String sql) {
        try (Connection c = TestDatabase.superuserOnTestDb(); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<Map<String, String>> query(String sql, String parameter) {
        try (Connection c = TestDatabase.superuserOnTestDb(); PreparedStatement s = c.prepareStatement(sql)) {
            if (parameter != null) {
                s.setString(1, parameter);
            }
            List<Map<String, String>> rows = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                int columns = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    Map<String, String> row = new LinkedHashMap<>();
                    for (int i = 1; i <= columns; i++) {
                        row.put(rs.getMetaData().getColumnName(i), rs.getString(i));
                    }
                    rows.add(row);
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Audit events recorded for the clinic. */
    public static long eventCount(String clinic) throws SQLException {
        return clinicCount("select count(*) from audit_events where clinic_id = cast(? as uuid)", clinic);
    }

    /** Waits (at most 15 s) until the service's sealer has chained every audit event of the clinic. */
    public static void awaitSealed(String clinic) throws SQLException, InterruptedException {
        long deadline = System.nanoTime() + 15_000_000_000L;
        while (eventCount(clinic) != clinicCount("select count(*) from audit_chain where chain_id = cast(? as uuid)",
                clinic)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the audit events of clinic " + clinic + " were not sealed within 15 s");
            }
            Thread.sleep(100);
        }
    }

    private static long clinicCount(String sql, String clinic) throws SQLException {
        try (Connection c = TestDatabase.superuserOnTestDb(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, clinic);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
