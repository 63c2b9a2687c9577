package io.healthcarebackend.identity.internal;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The access-token signing key and the public keys that verify tokens (current and previous).
 * In development a key is generated once and kept in a local file so restarts and several local
 * instances agree; elsewhere it must be configured (start-up refuses otherwise).
 */
@Component
class SigningKeys {

    private static final Logger log = LoggerFactory.getLogger(SigningKeys.class);

    private final ECKey signing;
    private final JWKSet publicKeys;

    SigningKeys(JwtSettings settings) {
        this.signing = loadSigningKey(settings);
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

    private static ECKey loadSigningKey(JwtSettings settings) {
        if (settings.signingKey() != null && !settings.signingKey().isBlank()) {
            return parse(settings.signingKey());
        }
        if (!settings.generateIfMissing()) {
            throw new IllegalStateException("JWT_SIGNING_KEY is missing (generate one with 'make jwt-key')");
        }
        Path file = Path.of(settings.devKeyFile());
        try {
            if (Files.exists(file)) {
                return parse(Files.readString(file));
            }
            ECKey key = io.healthcarebackend.identity.SigningKeyGenerator.generate();
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, key.toJSONString());
            try {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException ignored) {
                // not a POSIX file system; the file is a development convenience only
            }
            log.warn("Generated a development JWT signing key in {}; never use it in production", file);
            return key;
        } catch (IOException e) {
            throw new IllegalStateException("cannot read or write the development key file " + file, e);
        }
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
