package io.healthcarebackend.platform.ratelimit;

import io.healthcarebackend.platform.EmailAddress;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * The {@link LoginThrottle}. An attempt takes one unit from its account's budget up front (so
 * parallel guesses cannot slip past the check) and gives it back once the password is accepted.
 * From an address the account has signed in from before, the attempt counts on that address's
 * own budget instead of the account's; every attempt also counts on the hourly cap. All three
 * are fail-closed: without the shared store, sign-in answers 503.
 */
final class AccountThrottle implements LoginThrottle {

    static final String ROUTE_CLASS = "login";
    private static final Logger log = LoggerFactory.getLogger(AccountThrottle.class);
    private static final Attempt UNCOUNTED = () -> {
    };

    private final Limiter limiter;
    private final Rules rules;
    private final AccountKeys keys;
    private final ClientIp clientIp;
    private final RateLimitMeter meter;

    /** The three limits, and for how long a successful sign-in makes its address known. */
    record Rules(Rule perAccount, Rule perKnownSource, Rule hourlyCap, Duration knownSourceTtl) {
    }

    AccountThrottle(Limiter limiter, Rules rules, AccountKeys keys, ClientIp clientIp, RateLimitMeter meter) {
        this.limiter = limiter;
        this.rules = rules;
        this.keys = keys;
        this.clientIp = clientIp;
        this.meter = meter;
    }

    @Override
    public Attempt begin(EmailAddress email) {
        String account = keys.account(email);
        String address = currentAddress();
        String source = address == null ? null : keys.source(email, address);
        boolean known = source != null && limiter.recalls(source);
        Rule budget = known ? rules.perKnownSource() : rules.perAccount();
        String budgetKey = known ? source : account;
        take(budget, budgetKey, null);
        take(rules.hourlyCap(), account, () -> limiter.refund(budget, budgetKey, 1));
        return () -> succeeded(budget, budgetKey, account, source);
    }

    private void take(Rule rule, String key, Runnable undoOnRefusal) {
        Decision decision = limiter.consume(rule, key, 1);
        if (!decision.allowed()) {
            if (undoOnRefusal != null) {
                undoOnRefusal.run();
            }
            meter.limited(rule.name(), ROUTE_CLASS);
            throw new RateLimitExceeded(decision);
        }
    }

    private void succeeded(Rule budget, String budgetKey, String account, String source) {
        try {
            limiter.refund(budget, budgetKey, 1);
            limiter.refund(rules.hourlyCap(), account, 1);
            if (source != null) {
                limiter.remember(source, rules.knownSourceTtl());
            }
        } catch (RuntimeException e) {
            // The sign-in stands; at worst this success still counts as a failed attempt.
            log.warn("Could not credit a successful sign-in to its login budget: {}", e.getClass().getSimpleName());
        }
    }

    private String currentAddress() {
        if (RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes) {
            HttpServletRequest request = attributes.getRequest();
            return clientIp.of(request);
        }
        return null;
    }

    static LoginThrottle disabled() {
        return email -> UNCOUNTED;
    }
}
