package io.healthcarebackend.platform.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;

class BearerHeaderResolverTest {

    private final BearerHeaderResolver resolver = new BearerHeaderResolver();

    private String resolve(String header) {
        MockHttpServletRequest request = new MockHttpServletRequest();
        if (header != null) {
            request.addHeader("Authorization", header);
        }
        return resolver.resolve(request);
    }

    @Test
    void readsATokenFromTheBearerHeaderInAnyCase() {
        assertThat(resolve("Bearer abc.DEF-123_~+/==")).isEqualTo("abc.DEF-123_~+/==");
        assertThat(resolve("bearer x.y.z")).isEqualTo("x.y.z");
    }

    @Test
    void noHeaderOrAnotherSchemeIsNoToken() {
        assertThat(resolve(null)).isNull();
        assertThat(resolve("Basic dXNlcjpwYXNz")).isNull();
    }

    @Test
    void malformedTokensAreRefused() {
        for (String bad : new String[] {"Bearer ", "Bearer a b", "Bearer a\"b", "Bearer ====", "Bearer a=b",
                "Bearer é"}) {
            assertThatThrownBy(() -> resolve(bad)).as(bad).isInstanceOf(InvalidBearerTokenException.class);
        }
    }
}
