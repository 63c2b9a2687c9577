package io.healthcarebackend.support;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.ECKey;
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
 * A copy of a real access token (same user, clinic, role and session) that expires sooner, signed
 * with the service's own development key (the file TestDatabase points app.jwt.dev-key-file at):
 * to watch a stream end at its token's expiry without waiting the configured five minutes.
 */
public final class ShortLivedTokens {

    private ShortLivedTokens() {
    }

    public static String expiringIn(String realToken, Duration life) {
        try {
            ECKey key = ECKey.parse(Files.readString(Path.of(System.getProperty("app.jwt.dev-key-file"))).strip());
            if (key.getKeyID() == null) {
                key = new ECKey.Builder(key).keyIDFromThumbprint().build();
            }
            Instant now = Instant.now();
            JWTClaimsSet claims = new JWTClaimsSet.Builder(SignedJWT.parse(realToken).getJWTClaimsSet())
                    .issueTime(Date.from(now)).expirationTime(Date.from(now.plus(life)))
                    .jwtID(UUID.randomUUID().toString()).build();
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256)
                    .type(new JOSEObjectType("at+jwt")).keyID(key.getKeyID()).build(), claims);
            jwt.sign(new ECDSASigner(key));
            return jwt.serialize();
        } catch (IOException | ParseException | JOSEException e) {
            throw new IllegalStateException("cannot re-sign the token with the development key", e);
        }
    }
}
