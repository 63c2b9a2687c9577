package io.healthcarebackend.authz;

import static org.assertj.core.api.Assertions.assertThat;

import io.healthcarebackend.platform.Role;
import io.healthcarebackend.support.Api;
import io.healthcarebackend.support.ApiTest;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.BiFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The values a matrix row's request names: {@code id=patient} binds a path variable, and
 * {@code {patient}} inside a query or body is replaced. Fixtures marked "of clinic A" are clinic A's
 * records, so the other-clinic caller reaching them is a cross-clinic access. Names starting with
 * {@code new-} (and the appointments in a given state, sessions and refresh tokens) are created
 * afresh for every call, so that a call that changes or ends its target leaves nothing behind for
 * the next caller. Within one call a name always has one value.
 */
final class Fixtures {

    static final Pattern PLACEHOLDER = Pattern.compile("\\{([a-z][a-z0-9.-]*)}");

    private record Fixture(boolean ofClinicA, BiFunction<MatrixWorld, Call, String> make) {
    }

    private static final Map<String, Fixture> ALL = new LinkedHashMap<>();

    static {
        ofClinicA("clinic", (w, call) -> w.a.id);
        ofClinicA("patient", (w, call) -> w.patient);
        ofClinicA("new-patient", (w, call) -> w.a.patient("Matrix", "Fresh", "1990-02-02"));
        ofClinicA("practitioner", (w, call) -> w.practitioner);
        ofClinicA("new-practitioner", (w, call) -> created(w.api.post("/api/v1/practitioners", w.a.adminToken,
                Map.of("givenName", "Matrix", "familyName", "Fresh"))));
        ofClinicA("appointment", (w, call) -> w.appointment);
        ofClinicA("booked-appointment", (w, call) -> w.book(w.patient, w.practitioner));
        ofClinicA("checked-in-appointment", (w, call) -> {
            String id = w.book(w.patient, w.practitioner);
            Api.Response checkedIn = w.api.post("/api/v1/appointments/" + id + "/check-in", w.a.adminToken, null);
            assertThat(checkedIn.status()).as("%s", checkedIn).isEqualTo(200);
            return id;
        });
        ofClinicA("new-user", (w, call) -> w.user(w.a, Role.RECEPTIONIST).id());
        ofClinicA("session", (w, call) -> {
            MatrixWorld.Account owner = w.user(w.a, Role.RECEPTIONIST);
            Api.Response sessions = w.api.get("/api/v1/auth/sessions", w.login(owner.email(), owner.password()));
            return sessions.items().stream().filter(s -> s.path("current").asBoolean()).findFirst()
                    .orElseThrow().path("id").asString();
        });
        ofClinicA("pending-grant", (w, call) -> w.pendingGrant());
        neutral("login-email", (w, call) -> w.loginEmail);
        neutral("password", (w, call) -> ApiTest.PASSWORD);
        neutral("caller-password", (w, call) -> call.callerPassword);
        neutral("refresh-token", (w, call) -> {
            MatrixWorld.Account owner = w.user(w.a, Role.RECEPTIONIST);
            return w.tokens(owner.email(), owner.password()).text("refreshToken");
        });
        neutral("unique", (w, call) -> UUID.randomUUID().toString());
        neutral("slot", (w, call) -> w.nextSlot().toString());
        neutral("slot.start", (w, call) -> call.get("slot"));
        neutral("slot.end", (w, call) -> Instant.parse(call.get("slot")).plus(Duration.ofMinutes(30)).toString());
        neutral("range.from", (w, call) -> LocalDate.now(w.a.zone).plusDays(1).atStartOfDay(w.a.zone).toInstant()
                .toString());
        neutral("range.to", (w, call) -> LocalDate.now(w.a.zone).plusDays(2).atStartOfDay(w.a.zone).toInstant()
                .toString());
    }

    private Fixtures() {
    }

    private static void ofClinicA(String name, BiFunction<MatrixWorld, Call, String> make) {
        ALL.put(name, new Fixture(true, make));
    }

    private static void neutral(String name, BiFunction<MatrixWorld, Call, String> make) {
        ALL.put(name, new Fixture(false, make));
    }

    static Set<String> names() {
        return ALL.keySet();
    }

    static boolean isOfClinicA(String name) {
        Fixture fixture = ALL.get(name);
        return fixture != null && fixture.ofClinicA();
    }

    static Set<String> unknown(Set<String> names) {
        return names.stream().filter(n -> !ALL.containsKey(n)).collect(Collectors.toCollection(TreeSet::new));
    }

    /** The values of one call by one caller (whose password it knows): each name is made at most once. */
    static final class Call {
        private final MatrixWorld world;
        private final String callerPassword;
        private final Map<String, String> values = new HashMap<>();

        Call(MatrixWorld world, String callerPassword) {
            this.world = world;
            this.callerPassword = callerPassword;
        }

        String get(String name) {
            String value = values.get(name);
            if (value == null) {
                Fixture fixture = ALL.get(name);
                if (fixture == null) {
                    throw new IllegalArgumentException("no fixture named '" + name + "'");
                }
                value = fixture.make().apply(world, this);
                values.put(name, value);
            }
            return value;
        }

        /** The text with every {name} replaced by its value; null stays null. */
        String fill(String text) {
            if (text == null) {
                return null;
            }
            Matcher m = PLACEHOLDER.matcher(text);
            StringBuilder filled = new StringBuilder();
            while (m.find()) {
                m.appendReplacement(filled, Matcher.quoteReplacement(get(m.group(1))));
            }
            m.appendTail(filled);
            return filled.toString();
        }
    }

    private static String created(Api.Response response) {
        assertThat(response.status()).as("%s", response).isEqualTo(201);
        return response.text("id");
    }
}
