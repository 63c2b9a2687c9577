package io.healthcarebackend.authz;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.UUID;

/**
 * Access tokens the service must refuse, made from a real one so that exactly one thing is wrong
 * with each: its expiry lies in the past (signed with the service's own key, read from the test
 * run's development key file), or it is signed by a freshly generated key that claims the service's
 * key id. {@link #faithful} re-signs the real claims with the real key, to show that the forging
 * itself is sound: that copy is accepted.
 */
final class ForgedTokens {

    private static final JOSEObjectType TYPE = new JOSEObjectType("at+jwt");

    private final ECKey serviceKey;
    private final ECKey unknownKey;

    private ForgedTokens(ECKey serviceKey, ECKey unknownKey) {
        this.serviceKey = serviceKey;
        this.unknownKey = unknownKey;
    }

    /** The key the service signs with: the file TestDatabase points app.jwt.dev-key-file at. */
    static ForgedTokens load() {
        try {
            ECKey key = ECKey.parse(Files.readString(Path.of(System.getProperty("app.jwt.dev-key-file"))).strip());
            if (key.getKeyID() == null) {
                key = new ECKey.Builder(key).keyIDFromThumbprint().build();
            }
            return new ForgedTokens(key, new ECKeyGenerator(Curve.P_256).keyID(key.getKeyID()).generate());
        } catch (IOException | ParseException | JOSEException e) {
            throw new IllegalStateException("cannot read the service's development signing key", e);
        }
    }

    /** The same user and session, signed by the service's key, but expired an hour ago. */
    String expired(String realToken) {
        Instant now = Instant.now();
        return sign(serviceKey, copy(realToken, now.minus(Duration.ofHours(2)), now.minus(Duration.ofHours(1))));
    }

    /** The same user and session, valid for five minutes, signed by a key the service has never seen. */
    String unknownKey(String realToken) {
        Instant now = Instant.now();
        return sign(unknownKey, copy(realToken, now, now.plus(Duration.ofMinutes(5))));
    }

    /** A correct copy: the service's key, a current expiry. The service must accept it. */
    String faithful(String realToken) {
        Instant now = Instant.now();
        return sign(serviceKey, copy(realToken, now, now.plus(Duration.ofMinutes(5))));
    }

    /**
     * The real token with some claims replaced (user {@code sub}, {@code clinic}, {@code role},
     * session {@code sid}), signed by the service's key and current: what a holder of the signing key,
     * or a bug minting tokens, could produce. Only the session check can tell it from a real one.
     */
    String withClaims(String realToken, java.util.Map<String, String> replaced) {
        Instant now = Instant.now();
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder(copy(realToken, now, now.plus(Duration.ofMinutes(5))));
        replaced.forEach(claims::claim);
        return sign(serviceKey, claims.build());
    }

    private static JWTClaimsSet copy(String realToken, Instant issued, Instant expires) {
        try {
            return new JWTClaimsSet.Builder(SignedJWT.parse(realToken).getJWTClaimsSet())
                    .issueTime(Date.from(issued)).expirationTime(Date.from(expires))
                    .jwtID(UUID.randomUUID().toString()).build();
        } catch (ParseException e) {
            throw new IllegalArgumentException("not a JWT", e);
        }
    }

    private static String sign(ECKey key, JWTClaimsSet claims) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).type(TYPE)
                    .keyID(key.getKeyID()).build(), claims);
            jwt.sign(new ECDSASigner(key));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
