package io.healthcarebackend.platform.security;

import io.healthcarebackend.platform.CurrentUser;
import java.util.List;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/** An authenticated request: its principal is the {@link CurrentUser} read from the token. */
final class StaffAuthentication extends AbstractAuthenticationToken {

    private final CurrentUser user;

    StaffAuthentication(CurrentUser user) {
        super(List.of(new SimpleGrantedAuthority(user.role().authority())));
        this.user = user;
        setAuthenticated(true);
    }

    @Override
    public Object getCredentials() {
        return "";
    }

    @Override
    public CurrentUser getPrincipal() {
        return user;
    }

    @Override
    public String getName() {
        return user.id().toString();
    }
}
