package io.healthcarebackend.audit.internal;

import java.time.Instant;
import java.util.HexFormat;
import java.util.UUID;

/**
 * A signed statement "chain X had N events and its last link was H at time T". Kept outside the
 * database, it pins the chain: whoever rewrites history in the database cannot make the rewritten
 * chain reach the signed hash.
 */
record Checkpoint(UUID chainId, long seq, String hash, Instant signedAt, String keyId, String signature) {

    static Checkpoint sign(CheckpointSigner signer, UUID chainId, long seq, byte[] hash, Instant at) {
        String hex = HexFormat.of().formatHex(hash);
        return new Checkpoint(chainId, seq, hex, at, signer.keyId(), signer.sign(message(chainId, seq, hex, at)));
    }

    String message() {
        return message(chainId, seq, hash, signedAt);
    }

    byte[] hashBytes() {
        return HexFormat.of().parseHex(hash);
    }

    private static String message(UUID chainId, long seq, String hash, Instant at) {
        return "audit-checkpoint|v1|" + chainId + "|" + seq + "|" + hash + "|" + at;
    }
}
