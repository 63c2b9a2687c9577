package io.healthcarebackend.audit.internal;

import io.healthcarebackend.platform.crypto.DatabaseIdentity;
import io.healthcarebackend.platform.crypto.DevKeyFile;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Ed25519 signatures over audit checkpoints. The key pair comes from {@code AUDIT_SIGNING_KEY}
 * ({@code <base64 PKCS#8 private>:<base64 X.509 public>}, as {@code make audit-key} prints it); development generates one into a file
 * bound to its database ({@link DevKeyFile}). Verification also accepts the public
 * keys of earlier signing keys ({@code AUDIT_PREVIOUS_PUBLIC_KEYS}, base64 X.509, comma separated),
 * so rotating the key keeps old checkpoints checkable. A key's id is a digest of its public key.
 */
@Component
class CheckpointSigner {

    /** The default before development keys were bound to their database; adopted once (DevKeyFile). */
    private static final String LEGACY_DEV_KEY_FILE = "var/dev-audit-signing-key";

    private final PrivateKey signingKey;
    private final String keyId;
    private final Map<String, PublicKey> trusted = new HashMap<>();

    CheckpointSigner(@Value("${app.audit.signing-key:}") String signingKey,
            @Value("${app.audit.previous-public-keys:}") String previous,
            @Value("${app.audit.generate-if-missing:false}") boolean generateIfMissing,
            @Value("${app.audit.dev-key-file:var/databases/{database-id}/audit-signing-key}") String devKeyFile,
            DatabaseIdentity database) {
        KeyPair pair = signingKey.isBlank()
                ? devKey(generateIfMissing, DevKeyFile.of("AUDIT_DEV_KEY_FILE", devKeyFile, LEGACY_DEV_KEY_FILE,
                        DevKeyFile.Format.TEXT, database))
                : pairOf(signingKey.strip());
        this.signingKey = pair.getPrivate();
        this.keyId = keyId(pair.getPublic());
        trusted.put(keyId, pair.getPublic());
        for (String key : previous.split(",")) {
            if (!key.isBlank()) {
                PublicKey publicKey = publicKey(key.strip());
                trusted.put(keyId(publicKey), publicKey);
            }
        }
    }

    String keyId() {
        return keyId;
    }

    String publicKeyBase64() {
        return Base64.getEncoder().encodeToString(trusted.get(keyId).getEncoded());
    }

    String sign(String message) {
        try {
            Signature signature = Signature.getInstance("Ed25519");
            signature.initSign(signingKey);
            signature.update(message.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(signature.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign an audit checkpoint", e);
        }
    }

    boolean verify(String keyId, String message, String signatureBase64) {
        PublicKey key = trusted.get(keyId);
        return key != null && verify(key, message, signatureBase64);
    }

    static boolean verify(PublicKey key, String message, String signatureBase64) {
        try {
            Signature signature = Signature.getInstance("Ed25519");
            signature.initVerify(key);
            signature.update(message.getBytes(StandardCharsets.UTF_8));
            return signature.verify(Base64.getDecoder().decode(signatureBase64));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    static String keyId(PublicKey key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getEncoded());
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static PublicKey publicKey(String base64) {
        try {
            return KeyFactory.getInstance("Ed25519").generatePublic(
                    new X509EncodedKeySpec(Base64.getDecoder().decode(base64)));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException("an audit public key is not a base64 X.509 Ed25519 key");
        }
    }

    private static KeyPair devKey(boolean generateIfMissing, DevKeyFile file) {
        if (!generateIfMissing) {
            throw new IllegalStateException("AUDIT_SIGNING_KEY is not set (generate one with `make audit-key`)");
        }
        return pairOf(file.readOrCreate(io.healthcarebackend.audit.AuditKeyGenerator::generate).strip());
    }

    private static KeyPair pairOf(String privateColonPublic) {
        String[] parts = privateColonPublic.split(":");
        if (parts.length != 2) {
            throw new IllegalStateException("an audit signing key must be given as <private>:<public> (base64)");
        }
        try {
            PrivateKey privateKey = KeyFactory.getInstance("Ed25519").generatePrivate(
                    new PKCS8EncodedKeySpec(Base64.getDecoder().decode(parts[0])));
            KeyPair pair = new KeyPair(publicKey(parts[1]), privateKey);
            Signature probe = Signature.getInstance("Ed25519");
            probe.initSign(privateKey);
            probe.update(new byte[] {1});
            if (!verify(pair.getPublic(), "\u0001", Base64.getEncoder().encodeToString(probe.sign()))) {
                throw new IllegalStateException("the audit signing key's public half does not match its private half");
            }
            return pair;
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException("AUDIT_SIGNING_KEY is not <base64 PKCS#8 Ed25519 private>:<base64 public>");
        }
    }

}
