package io.healthcarebackend.authz;

import static org.assertj.core.api.Assertions.assertThat;

import io.healthcarebackend.authz.MatrixPlay.Planned;
import io.healthcarebackend.authz.MatrixPlay.Played;
import io.healthcarebackend.platform.Role;
import io.healthcarebackend.support.Api;
import io.healthcarebackend.support.ApiTest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;

/**
 * The authorization matrix as a build gate (docs/authorization-matrix.md). Every route Spring MVC
 * serves must have a row and every row must be a route; then every route is called as every kind
 * of caller and must answer the status of its row. Cross-clinic calls must change nothing of
 * clinic A and show none of its ids.
 */
class AuthorizationMatrixTest extends ApiTest {

    private static MatrixWorld world;

    @Autowired
    private ApplicationContext context;

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
        List<String> mismatches = playEverything();

        assertThat(mismatches).as("answers that differ from %s:%n%s", AuthorizationMatrix.FILE,
                String.join(System.lineSeparator(), mismatches)).isEmpty();
    }

    /**
     * Plans all calls, then sends clinic B's calls on clinic A's records between two snapshots of
     * clinic A (which must be equal), then the rest.
     */
    private List<String> playEverything() {
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
        played.addAll(play.play(cross));
        Map<String, String> after = ClinicSnapshot.of(w.a.id);
        before.forEach((table, fingerprint) -> {
            if (!fingerprint.equals(after.get(table))) {
                mismatches.add("clinic B's calls changed clinic A's rows in " + table);
            }
        });
        played.addAll(play.play(rest));
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
}
