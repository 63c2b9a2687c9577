package io.healthcarebackend.identity.internal;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import io.healthcarebackend.platform.crypto.DatabaseIdentity;
import io.healthcarebackend.platform.crypto.DevKeyFile;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * The access-token signing key and the public keys that verify tokens (current and previous).
 * In development a key is generated once and kept in a local file so restarts and several local
 * instances agree, bound to its database ({@link DevKeyFile}: a key file of another database is
 * refused); elsewhere it must be configured (start-up refuses otherwise).
 */
@Component
class SigningKeys {

    /** The default before development keys were bound to their database; adopted once (DevKeyFile). */
    private static final String LEGACY_DEV_KEY_FILE = "var/dev-jwt-signing-key.json";

    private final ECKey signing;
    private final JWKSet publicKeys;

    SigningKeys(JwtSettings settings, DatabaseIdentity database) {
        this.signing = loadSigningKey(settings, database);
        List<JWK> keys = new ArrayList<>();
        keys.add(signing.toPublicJWK());
        keys.addAll(previous(settings.previousPublicKeys()));
        this.publicKeys = new JWKSet(keys);
    }

    ECKey signing() {
        return signing;
    }

    JWKSet publicKeys() {
        return publicKeys;
    }

    private static ECKey loadSigningKey(JwtSettings settings, DatabaseIdentity database) {
        if (settings.signingKey() != null && !settings.signingKey().isBlank()) {
            return parse(settings.signingKey());
        }
        if (!settings.generateIfMissing()) {
            throw new IllegalStateException("JWT_SIGNING_KEY is missing (generate one with 'make jwt-key')");
        }
        DevKeyFile file = DevKeyFile.of("JWT_DEV_KEY_FILE", settings.devKeyFile(), LEGACY_DEV_KEY_FILE,
                DevKeyFile.Format.JSON, database);
        return parse(file.readOrCreate(() -> io.healthcarebackend.identity.SigningKeyGenerator.generate().toJSONString()));
    }

    private static ECKey parse(String json) {
        try {
            ECKey key = ECKey.parse(json.strip());
            if (!key.isPrivate() || !Curve.P_256.equals(key.getCurve())) {
                throw new IllegalStateException("JWT_SIGNING_KEY must be a private EC P-256 JWK");
            }
            return key.getKeyID() == null ? new ECKey.Builder(key).keyIDFromThumbprint().build() : key;
        } catch (ParseException | JOSEException e) {
            throw new IllegalStateException("JWT_SIGNING_KEY is not a valid EC JWK");
        }
    }

    private static List<JWK> previous(String jwkSet) {
        if (jwkSet == null || jwkSet.isBlank()) {
            return List.of();
        }
        try {
            return JWKSet.parse(jwkSet).toPublicJWKSet().getKeys();
        } catch (ParseException e) {
            throw new IllegalStateException("JWT_PREVIOUS_PUBLIC_KEYS is not a valid JWK Set");
        }
    }
}
