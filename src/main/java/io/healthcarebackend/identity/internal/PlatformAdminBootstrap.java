package io.healthcarebackend.identity.internal;

import io.healthcarebackend.identity.StaffAccounts;
import io.healthcarebackend.platform.Role;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * On first start, creates the platform administrator named by BOOTSTRAP_ADMIN_EMAIL and
 * BOOTSTRAP_ADMIN_PASSWORD, unless one exists already. Concurrent first starts are safe: the
 * e-mail is unique, so a second instance's attempt is refused and ignored.
 */
@Component
class PlatformAdminBootstrap {

    private static final Logger log = LoggerFactory.getLogger(PlatformAdminBootstrap.class);

    private final UserRepository users;
    private final StaffAccounts accounts;
    private final String email;
    private final String password;

    PlatformAdminBootstrap(UserRepository users, StaffAccounts accounts,
            @Value("${app.bootstrap.admin-email:}") String email,
            @Value("${app.bootstrap.admin-password:}") String password) {
        this.users = users;
        this.accounts = accounts;
        this.email = email;
        this.password = password;
    }

    @EventListener(ApplicationReadyEvent.class)
    @Order(0)
    void bootstrap() {
        if (email.isBlank() || password.isBlank() || users.platformAdminExists()) {
            return;
        }
        try {
            accounts.create(null, email, "Platform administrator", Role.PLATFORM_ADMIN, password);
            log.info("Bootstrapped the first platform administrator");
        } catch (io.healthcarebackend.platform.ApiException e) {
            log.info("Platform administrator bootstrap skipped: {}", e.code());
        }
    }
}
