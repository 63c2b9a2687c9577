package io.healthcarebackend.audit;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Base64;

/** Generates the Ed25519 key pair that signs audit checkpoints, in the form AUDIT_SIGNING_KEY takes. */
public final class AuditKeyGenerator {

    private AuditKeyGenerator() {
    }

    /** {@code <base64 PKCS#8 private key>:<base64 X.509 public key>}. */
    public static String generate() {
        try {
            KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            return Base64.getEncoder().encodeToString(pair.getPrivate().getEncoded()) + ":"
                    + Base64.getEncoder().encodeToString(pair.getPublic().getEncoded());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate an Ed25519 key", e);
        }
    }
}
