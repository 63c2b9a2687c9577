package io.healthcarebackend.identity.internal;

import io.healthcarebackend.platform.ratelimit.ClientIp;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;

/** Who is signing in, as sessions record it: the client address (behind trusted proxies) and user agent. */
@Component
class RequestClients {

    private final ClientIp clientIp;

    RequestClients(ClientIp clientIp) {
        this.clientIp = clientIp;
    }

    AuthService.Client of(HttpServletRequest request) {
        return new AuthService.Client(clientIp.of(request), request.getHeader(HttpHeaders.USER_AGENT));
    }
}
