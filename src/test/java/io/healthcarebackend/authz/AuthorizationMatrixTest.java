package io.healthcarebackend.authz;

import static org.assertj.core.api.Assertions.assertThat;

import io.healthcarebackend.authz.MatrixPlay.Planned;
import io.healthcarebackend.authz.MatrixPlay.Played;
import io.healthcarebackend.platform.Role;
import io.healthcarebackend.support.Api;
import io.healthcarebackend.support.ApiTest;
import io.healthcarebackend.support.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Import;

/**
 * The authorization matrix as a build gate (docs/authorization-matrix.md). Every route Spring MVC
 * serves must have a row and every row must be a route; then every route is called as every kind
 * of caller and must answer the status of its row. Cross-clinic calls must change nothing of
 * clinic A and show none of its ids. Finally the whole matrix is played again with the
 * application's clinic predicates taken out of its SQL ({@link ClinicPredicateSwitch}): row-level
 * security alone must keep every answer the same.
 */
@Import(ClinicPredicateSwitch.class)
class AuthorizationMatrixTest extends ApiTest {

    private static MatrixWorld world;

    @Autowired
    private ApplicationContext context;

    @Autowired
    private ClinicPredicateSwitch clinicFilter;

    @Test
    void everyRouteOfTheApplicationHasARowAndEveryRowIsARoute() {
        AuthorizationMatrix matrix = AuthorizationMatrix.load();
        Set<String> routes = RouteInventory.of(context);
        Set<String> listed = matrix.byKey().keySet();
        List<String> problems = new ArrayList<>(matrix.problems());
        Arrays.stream(Role.values()).filter(role -> Caller.of(role).isEmpty()).forEach(role -> problems.add(
                "role " + role + " has no caller: add a constant to Caller and a column to the matrix"));
        routes.stream().filter(r -> !listed.contains(r)).forEach(r -> problems.add("route " + r
                + " is not in the matrix; add a row: " + AuthorizationMatrix.Row.template(r.substring(0,
                r.indexOf(' ')), r.substring(r.indexOf(' ') + 1))));
        matrix.rows().stream().filter(r -> !routes.contains(r.key())).forEach(r -> problems.add("line "
                + r.line() + ": " + r.key() + " is not a route of the application (any more); remove the row"));
        matrix.rows().forEach(r -> Fixtures.unknown(r.recipe().fixturesNamed()).forEach(name -> problems.add(
                "line " + r.line() + ": unknown fixture '" + name + "'; known: " + Fixtures.names())));
        problems.addAll(matrix.ruleViolations(Fixtures::isOfClinicA));

        assertThat(problems).as("%s, checked against %d routes:%n%s", AuthorizationMatrix.FILE, routes.size(),
                String.join(System.lineSeparator(), problems)).isEmpty();
    }

    @Test
    void everyCallerGetsTheStatusOfTheMatrix() {
        List<String> mismatches = playEverything(false);

        assertThat(mismatches).as("answers that differ from %s:%n%s", AuthorizationMatrix.FILE,
                String.join(System.lineSeparator(), mismatches)).isEmpty();
    }

    @Test
    void rowLevelSecurityAloneKeepsEveryAnswerWhenTheApplicationsClinicFilterIsOff() throws SQLException {
        long before = clinicFilter.rewrittenCount();

        List<String> mismatches = playEverything(true);

        assertThat(clinicFilter.rewrittenCount()).as("statements sent without their clinic predicate")
                .isGreaterThan(before);
        for (String table : List.of("patients", "practitioners", "appointments", "staff_users", "audit_events")) {
            assertThat(clinicFilter.rewrittenStatements()).as("statements on %s sent without their clinic predicate",
                    table).anyMatch(sql -> sql.matches("(?s).*\\b(from|update|into) " + table + "\\b.*"));
        }
        assertThat(mismatches).as("answers that differ from %s with only row-level security:%n%s",
                AuthorizationMatrix.FILE, String.join(System.lineSeparator(), mismatches)).isEmpty();
        theRewrittenPatientLookupWouldLeakWithoutRowLevelSecurity();
    }

    /**
     * The statement the service sent to read one patient, as rewritten, really has no clinic filter
     * left: run as the superuser (who bypasses row-level security) it finds clinic A's patient for
     * clinic B; run as the application role in a transaction of clinic B it finds nothing.
     */
    private void theRewrittenPatientLookupWouldLeakWithoutRowLevelSecurity() throws SQLException {
        String lookup = clinicFilter.rewrittenStatements().stream()
                .filter(sql -> sql.contains(" from patients where " + ClinicPredicateSwitch.NO_FILTER + " and id = ?"))
                .findFirst().orElseThrow(() -> new AssertionError("no rewritten patient lookup among "
                        + new TreeSet<>(clinicFilter.rewrittenStatements())));
        String patientOfA = world().patient;
        try (Connection superuser = TestDatabase.superuserOnTestDb()) {
            assertThat(rows(superuser, lookup, world().b.id, patientOfA)).as("superuser, clinic B's parameters")
                    .isEqualTo(1);
        }
        try (Connection app = TestDatabase.asApplication()) {
            app.setAutoCommit(false);
            for (String clinic : List.of(world().b.id, world().a.id)) {
                try (PreparedStatement set = app.prepareStatement("select set_config('app.clinic_id', ?, true)")) {
                    set.setString(1, clinic);
                    set.execute();
                }
                assertThat(rows(app, lookup, clinic, patientOfA)).as("application role in clinic %s", clinic)
                        .isEqualTo(clinic.equals(world().a.id) ? 1 : 0);
                app.rollback();
            }
        }
    }

    /**
     * Plans all calls, then sends clinic B's calls on clinic A's records between two snapshots of
     * clinic A (which must be equal), then the rest. With {@code onlyRowLevelSecurity} the sending
     * happens with the application's clinic predicates switched off.
     */
    private List<String> playEverything(boolean onlyRowLevelSecurity) {
        AuthorizationMatrix matrix = AuthorizationMatrix.load();
        assertThat(matrix.problems()).as("problems of %s", AuthorizationMatrix.FILE).isEmpty();
        MatrixWorld w = world();
        MatrixPlay play = new MatrixPlay(w, new MatrixClient(port));
        List<Planned> plans = play.plan(matrix.rows());
        List<Planned> cross = plans.stream().filter(Planned::crossClinic).toList();
        List<Planned> rest = plans.stream().filter(p -> !p.crossClinic()).toList();
        List<String> mismatches = new ArrayList<>();
        List<Played> played = new ArrayList<>();
        Map<String, String> before = ClinicSnapshot.of(w.a.id);
        try (AutoCloseable filter = onlyRowLevelSecurity ? clinicFilter.off() : () -> { }) {
            played.addAll(play.play(cross));
            Map<String, String> after = ClinicSnapshot.of(w.a.id);
            before.forEach((table, fingerprint) -> {
                if (!fingerprint.equals(after.get(table))) {
                    mismatches.add("clinic B's calls changed clinic A's rows in " + table);
                }
            });
            played.addAll(play.play(rest));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        mismatches.addAll(MatrixPlay.mismatches(played, w.secretsOfA));
        return mismatches;
    }

    private synchronized MatrixWorld world() {
        if (world == null) {
            Clinic a = newClinic();
            Clinic b = newClinic();
            MatrixWorld.Account platform = new MatrixWorld.Account(null, PLATFORM_EMAIL, PLATFORM_PASSWORD,
                    platformToken());
            world = new MatrixWorld(api, a, b, platform);
            // The forger is sound: a correct copy of a real token is accepted, so the refusals of the
            // expired and unknown-key copies come from exactly the expiry and the key.
            Api.Response accepted = api.get("/api/v1/auth/sessions",
                    world.forged.faithful(world.callersOfA.get(Caller.CLINIC_ADMIN).token()));
            assertThat(accepted.status()).as("re-signed copy of a real token: %s", accepted).isEqualTo(200);
            // Clinic A's lists do show its never-named records, so their absence from every answer to
            // clinic B means something.
            String everything = api.get("/api/v1/patients?limit=200", a.adminToken).raw().body()
                    + api.get("/api/v1/practitioners?limit=200", a.adminToken).raw().body()
                    + api.get("/api/v1/appointments?limit=200", a.adminToken).raw().body()
                    + api.get("/api/v1/users?limit=200", a.adminToken).raw().body();
            assertThat(world.secretsOfA).allMatch(everything::contains);
        }
        return world;
    }

    private static int rows(Connection db, String sql, String clinic, String patient) throws SQLException {
        try (PreparedStatement query = db.prepareStatement(sql)) {
            query.setObject(1, UUID.fromString(clinic));
            query.setObject(2, UUID.fromString(patient));
            int count = 0;
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    count++;
                }
            }
            return count;
        }
    }
}
