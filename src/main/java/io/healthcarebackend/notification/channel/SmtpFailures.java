package io.healthcarebackend.notification.channel;

import io.healthcarebackend.notification.channel.SendResult.Rejected;
import io.healthcarebackend.notification.channel.SendResult.RetryLater;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.internet.AddressException;
import java.lang.reflect.Method;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.mail.MailSendException;

/**
 * Classifies a failed SMTP send by the server's reply code (RFC 5321 4.2.1): 4xx is transient and
 * retried, 5xx is permanent and rejected; a connection that failed or timed out is retried; a
 * refused login is rejected as a credentials problem. Only the code goes into the reason: the
 * reply text may quote the address.
 */
final class SmtpFailures {

    private static final int MAX_FAILURES = 32;
    /** Angus Mail puts the server's reply first in its exceptions' messages, e.g. {@code 535 5.7.8 …}. */
    private static final Pattern LEADING_CODE = Pattern.compile("^([2-5][0-9]{2})[ -]");

    private SmtpFailures() {
    }

    static SendResult classify(Exception failure) {
        List<Throwable> chain = chain(failure);
        for (Throwable each : chain) {
            if (each instanceof AuthenticationFailedException) {
                int code = leadingCode(each);
                return code >= 400 && code < 500
                        ? new RetryLater("SMTP " + code + " authentication temporarily failed", null)
                        : new Rejected("SMTP authentication failed: server refused the credentials"
                                + " (check SMTP_USERNAME and SMTP_PASSWORD)");
            }
            if (each instanceof AddressException) {
                return new Rejected("invalid e-mail address");
            }
        }
        for (Throwable each : chain) {
            int code = replyCode(each);
            if (code >= 500) {
                return new Rejected("SMTP " + code);
            }
            if (code >= 400) {
                return new RetryLater("SMTP " + code, null);
            }
        }
        return new RetryLater(NetworkFailures.reason(failure).orElse("SMTP error"), null);
    }

    /**
     * Every exception inside the failure, outermost first: causes, JavaMail's chained
     * {@code getNextException()} (which {@code getCause()} returns), and the per-message failures of
     * Spring's {@link MailSendException}.
     */
    private static List<Throwable> chain(Throwable failure) {
        List<Throwable> all = new ArrayList<>();
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Deque<Throwable> next = new ArrayDeque<>();
        next.add(failure);
        while (!next.isEmpty() && all.size() < MAX_FAILURES) {
            Throwable current = next.poll();
            if (!seen.add(current)) {
                continue;
            }
            all.add(current);
            if (current instanceof MailSendException send) {
                next.addAll(List.of(send.getMessageExceptions()));
            }
            if (current.getCause() != null) {
                next.add(current.getCause());
            }
        }
        return all;
    }

    /**
     * The SMTP reply code an Angus Mail exception carries ({@code SMTPSendFailedException},
     * {@code SMTPAddressFailedException}, {@code SMTPSenderFailedException}), or -1. Read
     * reflectively because Angus Mail is only a runtime dependency: the jakarta.mail API has no
     * accessor for it.
     */
    private static int replyCode(Throwable failure) {
        try {
            Method method = failure.getClass().getMethod("getReturnCode");
            return method.invoke(failure) instanceof Integer code && code >= 200 && code < 600 ? code : -1;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return -1;
        }
    }

    private static int leadingCode(Throwable failure) {
        String message = failure.getMessage();
        Matcher matcher = message == null ? null : LEADING_CODE.matcher(message);
        return matcher != null && matcher.find() ? Integer.parseInt(matcher.group(1)) : -1;
    }
}
