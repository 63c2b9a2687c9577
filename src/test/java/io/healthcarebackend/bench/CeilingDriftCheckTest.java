package io.healthcarebackend.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** How the drift check reads scripts and recordings and reports a difference (no service, no database). */
class CeilingDriftCheckTest {

    private long seq;

    @Test
    void scriptVariablesAndServiceParametersNormaliseAlike() {
        assertThat(CeilingDriftCheck.normaliseScript("select  x from t\n where a = :clinic and b = :id::uuid;"))
                .isEqualTo("select x from t where a = $? and b = $?::uuid");
        assertThat(CeilingDriftCheck.normaliseService("select x from t where a = $1 and b = $2::uuid"))
                .isEqualTo("select x from t where a = $? and b = $?::uuid");
    }

    @Test
    void recordingsGroupIntoTransactionsPerConnectionWithBatchesAsPipelines() {
        List<PgWireTap.Sent> sent = new ArrayList<>();
        statement(sent, 1, "BEGIN");
        statement(sent, 2, ""); // the pool's liveness check: left out
        statement(sent, 1, "select a from t where id = $1");
        statement(sent, 2, "select active_appointments_count()"); // outside a transaction: a unit of its own
        statement(sent, 2, "BEGIN");
        batch(sent, 2, "insert into u values ($1)", "insert into u values ($1)");
        statement(sent, 1, "COMMIT");
        statement(sent, 2, "COMMIT");

        assertThat(CeilingDriftCheck.units(sent).stream().map(CeilingDriftCheck.Unit::lines)).containsExactly(
                List.of("BEGIN", "select a from t where id = $?", "COMMIT"),
                List.of("select active_appointments_count()"),
                List.of("BEGIN", "\\startpipeline", "insert into u values ($?)", "insert into u values ($?)",
                        "\\endpipeline", "COMMIT"));
    }

    @Test
    void statementsServedFromACacheUnderLoadAreLeftOut() {
        List<String> cached = List.of("select patient_id, reason, expires_at from emergency_grants");
        var grants = new CeilingDriftCheck.Unit(List.of("BEGIN READ ONLY",
                "select set_config('app.clinic_id', $?, true), set_config('statement_timeout', $?, true)",
                "select patient_id, reason, expires_at from emergency_grants where clinic_id = $?", "COMMIT"),
                List.of());
        assertThat(CeilingDriftCheck.withoutCached(grants, cached).lines()).isEmpty();
        var booking = new CeilingDriftCheck.Unit(List.of("BEGIN", "insert into appointments values ($?)",
                "select patient_id, reason, expires_at from emergency_grants where clinic_id = $?", "COMMIT"),
                List.of("BEGIN", "insert into appointments values ($1)",
                        "select patient_id, reason, expires_at from emergency_grants where clinic_id = $1", "COMMIT"));
        assertThat(CeilingDriftCheck.withoutCached(booking, cached)).isEqualTo(new CeilingDriftCheck.Unit(
                List.of("BEGIN", "insert into appointments values ($?)", "COMMIT"),
                List.of("BEGIN", "insert into appointments values ($1)", "COMMIT")));
    }

    @Test
    void transactionsMatchInAnyOrderAndAChangedStatementShowsInItsPlace() {
        List<String> script = CeilingDriftCheck.statements("""
                -- a comment
                BEGIN;
                select a, b
                  from t where id = :id;
                COMMIT;
                BEGIN;
                insert into audit values (:x);
                COMMIT;
                """).stream().map(CeilingDriftCheck::normaliseScript).toList();
        List<String> read = List.of("BEGIN", "select a, b from t where id = $?", "COMMIT");
        List<String> audit = List.of("BEGIN", "insert into audit values ($?)", "COMMIT");
        assertThat(CeilingDriftCheck.compare(script, List.of(audit, read))).isEmpty();

        List<String> changed = List.of("BEGIN", "select a, b, c from t where id = $?", "COMMIT");
        assertThat(CeilingDriftCheck.compare(script, List.of(audit, changed))).isEqualTo("""
                  BEGIN
                - select a, b from t where id = $?
                + select a, b, c from t where id = $?
                  COMMIT
                  BEGIN
                  insert into audit values ($?)
                  COMMIT
                """);
        assertThat(CeilingDriftCheck.compare(script, List.of(read))).contains("- insert into audit values ($?)");
    }

    @Test
    void everyCeilingScriptIsWholeTransactions() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("bench/ceiling"))) {
            List<Path> scripts = files.filter(f -> f.toString().endsWith(".sql") && !f.toString().endsWith(".params.sql")
                    && !f.getFileName().toString().matches("(background|cached|setup)\\.sql")).sorted().toList();
            assertThat(scripts).extracting(f -> f.getFileName().toString())
                    .containsExactlyInAnyOrder("availability.sql", "booking.sql", "patient-read.sql", "patient-search.sql");
            for (Path script : scripts) {
                List<String> lines = CeilingDriftCheck.statements(Files.readString(script)).stream()
                        .map(CeilingDriftCheck::normaliseScript).toList();
                assertThat(CeilingDriftCheck.group(lines)).as("%s", script).allSatisfy(unit -> {
                    assertThat(unit.getFirst()).startsWith("BEGIN");
                    assertThat(unit.getLast()).isEqualTo("COMMIT");
                });
            }
        }
    }

    private void statement(List<PgWireTap.Sent> sent, long connection, String sql) {
        sent.add(new PgWireTap.Sent(seq++, connection, "db", "user", "app", sql, List.of()));
        sent.add(new PgWireTap.Sent(seq++, connection, "db", "user", "app", null, List.of()));
    }

    private void batch(List<PgWireTap.Sent> sent, long connection, String... sql) {
        for (String s : sql) {
            sent.add(new PgWireTap.Sent(seq++, connection, "db", "user", "app", s, List.of()));
        }
        sent.add(new PgWireTap.Sent(seq++, connection, "db", "user", "app", null, List.of()));
    }
}
