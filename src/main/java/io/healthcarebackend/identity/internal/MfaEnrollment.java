package io.healthcarebackend.identity.internal;

import io.healthcarebackend.audit.AuditAction;
import io.healthcarebackend.audit.AuditEvent;
import io.healthcarebackend.audit.AuditOutcome;
import io.healthcarebackend.audit.AuditTrail;
import io.healthcarebackend.platform.ApiException;
import io.healthcarebackend.platform.CurrentUser;
import io.healthcarebackend.platform.UserId;
import io.healthcarebackend.platform.db.TenantTx;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Service;

/**
 * A staff user's own second factor: start an enrollment (new key, otpauth URI and QR code),
 * confirm it with a first code (which activates it and hands out recovery codes, once), replace
 * the recovery codes, disable it; and a clinic administrator's reset for a user who lost both
 * their authenticator and their recovery codes. Every change is on the audit trail as
 * {@code MFA_CHANGED}, in the transaction that makes it.
 */
@Service
class MfaEnrollment {

    record Started(String secret, String otpauthUri, String qrCode, String algorithm, int digits, long period) {
    }

    record Status(boolean enabled, boolean enrolling, int recoveryCodesLeft, boolean requiredByClinic) {
    }

    private final MfaRepository repository;
    private final MfaVerifier verifier;
    private final MfaSecrets secrets;
    private final MfaSettings settings;
    private final UserRepository users;
    private final TenantTx tx;
    private final Clock clock;
    private final AuditTrail audit;

    MfaEnrollment(MfaRepository repository, MfaVerifier verifier, MfaSecrets secrets, MfaSettings settings,
            UserRepository users, TenantTx tx, Clock clock, AuditTrail audit) {
        this.repository = repository;
        this.verifier = verifier;
        this.secrets = secrets;
        this.settings = settings;
        this.users = users;
        this.tx = tx;
        this.clock = clock;
        this.audit = audit;
    }

    /** The signed-in user, or else the holder of a valid enrollment token (401 without either). */
    MfaVerifier.Subject subject(CurrentUser user, String enrollmentToken) {
        if (user != null) {
            return new MfaVerifier.Subject(user.clinicId(), user.id(), user.role());
        }
        if (enrollmentToken == null) {
            throw new ApiException.Unauthorized("UNAUTHORIZED", "A valid access token is required");
        }
        OpaqueToken token = OpaqueToken.parse(enrollmentToken).orElseThrow(MfaEnrollment::invalidToken);
        Instant now = clock.instant();
        return tx.readInClinic(token.clinic(), () -> {
            boolean valid = repository.enrollmentToken(token.clinic(), new UserId(token.id()))
                    .filter(row -> token.matches(row.hash()) && now.isBefore(row.expiresAt())).isPresent();
            Optional<StaffUser> owner = users.find(token.clinic(), new UserId(token.id())).filter(StaffUser::active);
            if (!valid || owner.isEmpty()) {
                throw invalidToken();
            }
            return new MfaVerifier.Subject(token.clinic(), new UserId(token.id()), owner.get().role());
        });
    }

    Status status(MfaVerifier.Subject who) {
        return tx.readInClinic(who.clinic(), () -> {
            MfaRepository.State state = repository.state(who.clinic(), who.user());
            return new Status(state.active(), state.enrolling(), state.recoveryCodesLeft(),
                    repository.clinicRequiresMfa(who.clinic()));
        });
    }

    /** A fresh key (replacing an unconfirmed one); refused while a confirmed one exists. */
    Started start(MfaVerifier.Subject who) {
        byte[] key = Totp.newSecret();
        try {
            byte[] sealed = secrets.seal(who.user(), key);
            Instant now = clock.instant();
            boolean started = tx.inClinic(who.clinic(), () -> {
                if (!repository.startEnrollment(who.clinic(), who.user(), sealed, now)) {
                    return false;
                }
                audit.recordWithChange(MfaVerifier.event(who, AuditOutcome.SUCCESS, "TOTP enrollment started"));
                return true;
            });
            if (!started) {
                throw alreadyEnabled();
            }
            String secret = Totp.base32(key);
            String uri = otpauthUri(who.user(), secret);
            return new Started(secret, uri, QrCodes.svgDataUri(uri), "SHA1", Totp.DIGITS, Totp.PERIOD_SECONDS);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    /** Activates the enrolled key with a first valid code; returns the recovery codes (shown once). */
    List<String> confirm(MfaVerifier.Subject who, String code) {
        MfaRepository.State state = tx.readInClinic(who.clinic(), () -> repository.state(who.clinic(), who.user()));
        if (state.active()) {
            throw alreadyEnabled();
        }
        if (!state.enrolling()) {
            throw new ApiException.Conflict("MFA_ENROLLMENT_NOT_STARTED", "Start an enrollment first");
        }
        verifier.verify(who, new MfaVerifier.Presented(code, null), MfaVerifier.Purpose.CONFIRM);
        List<String> codes = RecoveryCodes.generate(settings.recoveryCodes());
        tx.inClinic(who.clinic(), () -> {
            Instant now = clock.instant();
            repository.activate(who.clinic(), who.user(), now);
            repository.replaceRecoveryCodes(who.clinic(), who.user(), hashes(who.user(), codes), now);
            audit.recordWithChange(MfaVerifier.event(who, AuditOutcome.SUCCESS,
                    "TOTP second factor enabled; " + codes.size() + " recovery codes issued"));
            return null;
        });
        return codes;
    }

    /** New recovery codes (the old ones stop working), after a current code. */
    List<String> regenerateRecoveryCodes(MfaVerifier.Subject who, MfaVerifier.Presented proof) {
        verifier.verify(who, proof, MfaVerifier.Purpose.MANAGE);
        List<String> codes = RecoveryCodes.generate(settings.recoveryCodes());
        tx.inClinic(who.clinic(), () -> {
            repository.replaceRecoveryCodes(who.clinic(), who.user(), hashes(who.user(), codes), clock.instant());
            audit.recordWithChange(MfaVerifier.event(who, AuditOutcome.SUCCESS,
                    "recovery codes replaced; " + codes.size() + " issued"));
            return null;
        });
        return codes;
    }

    /** Turns the second factor off after a current code; not while the clinic requires one. */
    void disable(MfaVerifier.Subject who, MfaVerifier.Presented proof) {
        if (tx.readInClinic(who.clinic(), () -> repository.clinicRequiresMfa(who.clinic()))) {
            throw new ApiException.Conflict("MFA_REQUIRED_BY_CLINIC", "The clinic requires a second factor");
        }
        verifier.verify(who, proof, MfaVerifier.Purpose.MANAGE);
        tx.inClinic(who.clinic(), () -> {
            repository.delete(who.clinic(), who.user());
            audit.recordWithChange(MfaVerifier.event(who, AuditOutcome.SUCCESS, "second factor disabled"));
            return null;
        });
    }

    /** A clinic administrator removes a user's second factor (lost device and codes); they enrol again. */
    void reset(CurrentUser admin, UserId target) {
        tx.inClinic(admin.clinic(), () -> {
            users.find(admin.clinic(), target).orElseThrow(() -> new ApiException.NotFound("User"));
            if (!repository.delete(admin.clinic(), target)) {
                throw new ApiException.Conflict("MFA_NOT_ENABLED", "The user has no second factor");
            }
            audit.recordWithChange(AuditEvent.by(admin, AuditAction.MFA_CHANGED, AuditOutcome.SUCCESS)
                    .resource(AuthService.STAFF_USER, target.value())
                    .reason("second factor of user " + target + " reset by an administrator"));
            return null;
        });
    }

    /**
     * The key URI of Google's format, understood by every authenticator app. The account label is
     * the user id, not the e-mail: the URI and QR code pass through the browser, the phone and the
     * app's cloud backups, and an id there reveals nothing about the person.
     */
    private String otpauthUri(UserId user, String secret) {
        String issuer = encode(settings.issuer());
        return "otpauth://totp/" + issuer + ":" + user + "?secret=" + secret + "&issuer=" + issuer
                + "&algorithm=SHA1&digits=" + Totp.DIGITS + "&period=" + Totp.PERIOD_SECONDS;
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static List<byte[]> hashes(UserId user, List<String> codes) {
        return codes.stream().map(c -> RecoveryCodes.hash(user, RecoveryCodes.normalize(c).orElseThrow())).toList();
    }

    private static ApiException alreadyEnabled() {
        return new ApiException.Conflict("MFA_ALREADY_ENABLED", "A second factor is already enabled; disable it first");
    }

    private static ApiException invalidToken() {
        return new ApiException.Unauthorized("INVALID_ENROLLMENT_TOKEN", "The enrollment token is not valid");
    }
}
