package io.healthcarebackend.identity.internal;

import java.sql.Timestamp;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Single-node store of started sign-ins: the {@code oidc_login_states} table. It holds no clinic
 * data (no clinic is known before sign-in), so it has no row-level security. A state is taken
 * with one {@code DELETE … RETURNING}: of two concurrent callbacks only one gets the row.
 */
@Component
@ConditionalOnExpression("'${app.redis.url:}' == ''")
class PgOidcPendingLogins implements OidcPendingLogins {

    private static final Logger log = LoggerFactory.getLogger(PgOidcPendingLogins.class);

    private final JdbcClient jdbc;

    PgOidcPendingLogins(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public void save(byte[] stateHash, OidcPendingLogin login) {
        jdbc.sql("insert into oidc_login_states (state_hash, provider, redirect_uri, nonce, code_verifier, expires_at) "
                + "values (:hash, :provider, :redirect, :nonce, :verifier, :expires)")
                .param("hash", stateHash).param("provider", login.provider()).param("redirect", login.redirectUri())
                .param("nonce", login.nonce()).param("verifier", login.codeVerifier())
                .param("expires", Timestamp.from(login.expiresAt()))
                .update();
    }

    @Override
    public Optional<OidcPendingLogin> take(byte[] stateHash) {
        return jdbc.sql("delete from oidc_login_states where state_hash = :hash "
                + "returning provider, redirect_uri, nonce, code_verifier, expires_at")
                .param("hash", stateHash)
                .query((rs, row) -> new OidcPendingLogin(rs.getString("provider"), rs.getString("redirect_uri"),
                        rs.getString("nonce"), rs.getString("code_verifier"),
                        rs.getTimestamp("expires_at").toInstant()))
                .optional();
    }

    @Scheduled(fixedDelayString = "${app.oidc.cleanup-interval:PT10M}", initialDelayString = "PT1M")
    void purge() {
        purgeExpired();
    }

    /** Removes sign-ins that were started and never finished; returns how many. */
    int purgeExpired() {
        int removed = jdbc.sql("delete from oidc_login_states where expires_at < now()").update();
        if (removed > 0) {
            log.info("Removed {} expired OIDC sign-in states", removed);
        }
        return removed;
    }
}
