package io.healthcarebackend.authz;

import io.healthcarebackend.authz.AuthorizationMatrix.Row;
import io.healthcarebackend.platform.Role;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Plays matrix rows: first plans every call (creating each call's fresh records and tokens), then
 * sends them, then compares each answer with the row. Planning first lets a test change the
 * service's configuration (the clinic-filter switch) around the sending alone, and lets it take a
 * snapshot of clinic A between the planning and the cross-clinic calls.
 */
final class MatrixPlay {

    /** One call, ready to send. {@code crossClinic}: clinic B's user reaching for clinic A's records. */
    record Planned(Row row, Caller caller, String method, String path, String body, Supplier<String> token,
            boolean crossClinic) {
        String describe() {
            return method + " " + path;
        }
    }

    record Played(Planned plan, MatrixClient.Answer answer) {
    }

    private final MatrixWorld world;
    private final MatrixClient client;

    MatrixPlay(MatrixWorld world, MatrixClient client) {
        this.world = world;
        this.client = client;
    }

    List<Planned> plan(List<Row> rows) {
        return plan(rows, List.of(Caller.values()));
    }

    /** The calls of the given callers only (each call's fresh records are made for these alone). */
    List<Planned> plan(List<Row> rows, List<Caller> callers) {
        List<Planned> plans = new ArrayList<>();
        for (Row row : rows) {
            Role otherClinicRole = AuthorizationMatrix.otherClinicRole(row);
            boolean reachesA = row.recipe().fixturesNamed().stream().anyMatch(Fixtures::isOfClinicA);
            for (Caller caller : callers) {
                Fixtures.Call call = new Fixtures.Call(world, world.password(caller, otherClinicRole));
                String path = AuthorizationMatrix.concretePath(row, call::get);
                String query = call.fill(row.recipe().query());
                String method = row.method().equals(AuthorizationMatrix.ANY_METHOD) ? "GET" : row.method();
                plans.add(new Planned(row, caller, method, query == null ? path : path + "?" + query,
                        call.fill(row.recipe().body()), world.token(caller, otherClinicRole, row.recipe().freshLogin()),
                        caller == Caller.OTHER_CLINIC && reachesA));
            }
        }
        return plans;
    }

    List<Played> play(List<Planned> plans) {
        return plans.stream()
                .map(p -> new Played(p, client.send(p.method(), p.path(), p.body(), p.token().get())))
                .toList();
    }

    /**
     * Every way the answers differ from the matrix: the status; an error that is not problem+json;
     * and any id of clinic A's never-named records in an answer to clinic B.
     */
    static List<String> mismatches(List<Played> played, Set<String> secretsOfA) {
        List<String> found = new ArrayList<>();
        for (Played p : played) {
            Planned plan = p.plan();
            MatrixClient.Answer answer = p.answer();
            String who = "line " + plan.row().line() + " " + plan.row().key() + " as " + plan.caller() + " ("
                    + plan.describe() + "): ";
            int expected = plan.row().expected(plan.caller());
            if (answer.status() != expected) {
                found.add(who + "expected " + expected + ", got " + answer.status() + " " + answer.excerpt());
            } else if (answer.status() >= 400 && !answer.contentType().startsWith("application/problem+json")) {
                found.add(who + answer.status() + " is not application/problem+json but '" + answer.contentType()
                        + "'");
            }
            if (plan.caller() == Caller.OTHER_CLINIC) {
                secretsOfA.stream().filter(answer.body()::contains).forEach(secret -> found.add(who
                        + "the answer to clinic B contains the id " + secret + " of a record of clinic A"));
            }
        }
        return found;
    }
}
