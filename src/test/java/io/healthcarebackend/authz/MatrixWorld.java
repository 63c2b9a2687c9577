package io.healthcarebackend.authz;

import static org.assertj.core.api.Assertions.assertThat;

import io.healthcarebackend.platform.Role;
import io.healthcarebackend.support.Api;
import io.healthcarebackend.support.ApiTest;
import io.healthcarebackend.support.PlatformAdmins;
import java.time.Instant;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The people and records the matrix is played against, built once per test class: clinic A with a
 * signed-in user of every role, a patient, a practitioner (working every day 08:00–18:00 in
 * 30-minute slots) and an appointment; clinic B with a user of every clinic role; and, in clinic A,
 * records no request ever names ({@link #secretsOfA}), whose ids must never reach clinic B.
 */
final class MatrixWorld {

    /** A signed-in user: id, e-mail (to sign in again) and access token. */
    record Account(String id, String email, String password, String token) {
    }

    final Api api;
    final ApiTest.Clinic a;
    final ApiTest.Clinic b;
    final Map<Caller, Account> callersOfA = new EnumMap<>(Caller.class);
    final Map<Role, Account> usersOfB = new EnumMap<>(Role.class);
    final String patient;
    final String practitioner;
    final String appointment;
    final String loginEmail;
    final Set<String> secretsOfA = new LinkedHashSet<>();
    final ForgedTokens forged;
    /**
     * A second platform administrator who asks clinic A for the support grants the clinic roles
     * decide on, so that no approval in the matrix ever empowers the PLATFORM_ADMIN caller.
     */
    final Account supportRequester;
    private final AtomicInteger slots = new AtomicInteger();

    MatrixWorld(Api api, ApiTest.Clinic a, ApiTest.Clinic b, Account platformAdmin) {
        this.api = api;
        this.a = a;
        this.b = b;
        callersOfA.put(Caller.PLATFORM_ADMIN, platformAdmin);
        for (Role role : Role.values()) {
            if (role != Role.PLATFORM_ADMIN) {
                Caller caller = Caller.of(role).orElseThrow(() -> new AssertionError(
                        "role " + role + " has no column in " + AuthorizationMatrix.FILE + " (add one to Caller)"));
                callersOfA.put(caller, account(a, role));
                usersOfB.put(role, account(b, role));
            }
        }
        this.patient = a.patient("Matrix", "Shared", "1970-01-01");
        this.practitioner = a.practitioner();
        this.appointment = book(patient, practitioner);
        this.loginEmail = user(a, Role.RECEPTIONIST).email();
        String hiddenPatient = a.patient("Matrix", "Hidden", "1960-06-06");
        secretsOfA.add(hiddenPatient);
        secretsOfA.add(a.practitioner());
        secretsOfA.add(book(hiddenPatient, practitioner));
        secretsOfA.add(a.adminId);
        callersOfA.values().stream().map(Account::id).filter(id -> id != null).forEach(secretsOfA::add);
        this.forged = ForgedTokens.load();
        String requesterEmail = "matrix-support-" + UUID.randomUUID() + "@tests.invalid";
        this.supportRequester = new Account(PlatformAdmins.create(requesterEmail), requesterEmail,
                platformAdmin.password(), login(requesterEmail, platformAdmin.password()));
    }

    /** A pending support grant on clinic A, asked for by {@link #supportRequester}. */
    String pendingGrant() {
        Api.Response requested = api.post("/api/v1/clinics/" + a.id + "/support-grants", supportRequester.token(),
                Map.of("reason", "Matrix support ticket", "durationMinutes", 60));
        assertThat(requested.status()).as("%s", requested).isEqualTo(201);
        return requested.text("id");
    }

    /** A user of the clinic with the role, signed in. */
    Account account(ApiTest.Clinic clinic, Role role) {
        Account user = user(clinic, role);
        return new Account(user.id(), user.email(), user.password(), login(user.email(), user.password()));
    }

    /** A new user of the clinic, not signed in. */
    Account user(ApiTest.Clinic clinic, Role role) {
        String email = "matrix-" + role.name().toLowerCase() + "-" + UUID.randomUUID() + "@tests.invalid";
        Api.Response created = api.post("/api/v1/clinics/" + clinic.id + "/users", clinic.adminToken,
                Map.of("email", email, "name", "Matrix " + role, "role", role.name(), "password", ApiTest.PASSWORD));
        assertThat(created.status()).as("%s", created).isEqualTo(201);
        return new Account(created.text("id"), email, ApiTest.PASSWORD, null);
    }

    String login(String email, String password) {
        return tokens(email, password).text("accessToken");
    }

    Api.Response tokens(String email, String password) {
        Api.Response response = api.post("/api/v1/auth/login", null, Map.of("email", email, "password", password));
        assertThat(response.status()).as("login: %s", response).isEqualTo(200);
        return response;
    }

    /** The next free 30-minute slot of the shared practitioner, from the day after tomorrow on. */
    Instant nextSlot() {
        int n = slots.getAndIncrement();
        return a.at(2 + n / 20, 8 + (n % 20) / 2, (n % 2) * 30);
    }

    String book(String patientId, String practitionerId) {
        Api.Response booked = a.book(a.adminToken, patientId, practitionerId, nextSlot());
        assertThat(booked.status()).as("%s", booked).isEqualTo(201);
        return booked.text("id");
    }

    /**
     * The token a caller presents (null: none). A fresh sign-in happens only when the supplier is
     * asked, right before the call is sent, so no earlier call (a password change ends the user's
     * other sessions) can have ended it.
     */
    Supplier<String> token(Caller caller, Role otherClinicRole, boolean fresh) {
        return switch (caller) {
            case ANONYMOUS -> () -> null;
            case EXPIRED_TOKEN -> constant(forged.expired(callersOfA.get(Caller.CLINIC_ADMIN).token()));
            case UNKNOWN_KEY -> constant(forged.unknownKey(callersOfA.get(Caller.CLINIC_ADMIN).token()));
            case OTHER_CLINIC -> tokenOf(usersOfB.get(otherClinicRole), fresh);
            default -> tokenOf(callersOfA.get(caller), fresh);
        };
    }

    /** The password of the user behind a caller (the shared test password for callers without one). */
    String password(Caller caller, Role otherClinicRole) {
        Account account = caller == Caller.OTHER_CLINIC ? usersOfB.get(otherClinicRole) : callersOfA.get(caller);
        return account == null ? ApiTest.PASSWORD : account.password();
    }

    private Supplier<String> tokenOf(Account account, boolean fresh) {
        return fresh ? () -> login(account.email(), account.password()) : constant(account.token());
    }

    private static Supplier<String> constant(String token) {
        return () -> token;
    }
}
