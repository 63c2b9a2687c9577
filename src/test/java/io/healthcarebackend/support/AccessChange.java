package io.healthcarebackend.support;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.SignedJWT;
import java.text.ParseException;
import java.util.Map;

/**
 * Every way a signed-in user's access ends before their access token expires, done through the
 * API as a user or an administrator would: for tests that check what lives on beyond one request
 * (streams) ends with it. Token expiry is the sixth way: {@link ShortLivedTokens}.
 */
public enum AccessChange {

    /** The user signs out with the token. */
    LOGOUT {
        @Override
        void apply(Api api, ApiTest.Clinic clinic, ApiTest.User user, String token, String otherRole) {
            assertThat(api.post("/api/v1/auth/logout", token, null).status()).isEqualTo(204);
        }
    },
    /** The user ends that session from another one of theirs (e.g. "sign out my other devices"). */
    REVOKED_BY_USER {
        @Override
        void apply(Api api, ApiTest.Clinic clinic, ApiTest.User user, String token, String otherRole) {
            String other = login(api, user.email());
            assertThat(api.delete("/api/v1/auth/sessions/" + sessionIdOf(token), other).status()).isEqualTo(204);
        }
    },
    /** The clinic's administrator ends the session. */
    REVOKED_BY_ADMIN {
        @Override
        void apply(Api api, ApiTest.Clinic clinic, ApiTest.User user, String token, String otherRole) {
            assertThat(api.delete("/api/v1/auth/sessions/" + sessionIdOf(token), clinic.adminToken).status())
                    .isEqualTo(204);
        }
    },
    /** The user signs in elsewhere until the session limit evicts this, their oldest session. */
    SESSION_LIMIT {
        @Override
        void apply(Api api, ApiTest.Clinic clinic, ApiTest.User user, String token, String otherRole) {
            String session = sessionIdOf(token);
            for (int i = 0; i < 50; i++) {
                String newer = login(api, user.email());
                Api.Response sessions = api.get("/api/v1/auth/sessions", newer);
                assertThat(sessions.status()).isEqualTo(200);
                if (sessions.items().stream().noneMatch(s -> session.equals(s.get("id").asString()))) {
                    return;
                }
            }
            throw new AssertionError("the session limit never evicted the oldest session");
        }
    },
    /** The administrator deactivates the user. */
    DEACTIVATED {
        @Override
        void apply(Api api, ApiTest.Clinic clinic, ApiTest.User user, String token, String otherRole) {
            Api.Response changed = api.patch("/api/v1/users/" + user.id(), clinic.adminToken, Map.of("active", false));
            assertThat(changed.status()).as("%s", changed).isEqualTo(200);
        }
    },
    /** The administrator gives the user another role (even one that may use the same stream). */
    ROLE_CHANGED {
        @Override
        void apply(Api api, ApiTest.Clinic clinic, ApiTest.User user, String token, String otherRole) {
            Api.Response changed = api.patch("/api/v1/users/" + user.id(), clinic.adminToken,
                    Map.of("role", otherRole));
            assertThat(changed.status()).as("%s", changed).isEqualTo(200);
        }
    };

    /**
     * Ends the access of {@code user}'s session behind {@code token}; {@code otherRole} is the role
     * {@link #ROLE_CHANGED} gives the user.
     */
    abstract void apply(Api api, ApiTest.Clinic clinic, ApiTest.User user, String token, String otherRole);

    public void applyTo(Api api, ApiTest.Clinic clinic, ApiTest.User user, String token, String otherRole) {
        apply(api, clinic, user, token, otherRole);
    }

    public static String sessionIdOf(String accessToken) {
        try {
            return SignedJWT.parse(accessToken).getJWTClaimsSet().getStringClaim("sid");
        } catch (ParseException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static String login(Api api, String email) {
        Api.Response response = api.post("/api/v1/auth/login", null, Map.of("email", email, "password",
                ApiTest.PASSWORD));
        assertThat(response.status()).as("login of %s: %s", email, response).isEqualTo(200);
        return response.text("accessToken");
    }
}
