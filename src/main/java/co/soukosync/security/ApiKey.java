package co.soukosync.security;

import jakarta.servlet.Filter;
import java.security.MessageDigest;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.web.ServerProperties;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.authentication.AuthenticationEntryPointFailureHandler;
import org.springframework.security.web.authentication.AuthenticationFilter;
import org.springframework.security.web.context.RequestAttributeSecurityContextRepository;
import org.springframework.security.web.util.matcher.NegatedRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.stereotype.Component;
import co.soukosync.api.ApiErrorWriter;
import co.soukosync.config.SoukosyncProperties;

/**
 * SOUKOSYNC_API_KEY: the bearer token that the API asks for when it is set. Keys are compared as
 * SHA-256 digests in constant time ({@link SecretDigest}). Unset keeps the original's open API,
 * and the log says so at start.
 */
@Component
class ApiKey {

    static final String ROLE = "API";
    private static final Logger log = LoggerFactory.getLogger(ApiKey.class);
    private static final String PREFIX = "Bearer ";

    private final byte[] digest;
    private final ApiErrorWriter errors;

    ApiKey(SoukosyncProperties properties, ServerProperties server, ApiErrorWriter errors) {
        this.errors = errors;
        String key = properties.apiKey();
        Integer port = server.getPort();
        if (key == null || key.isBlank()) {
            digest = null;
            log.warn("SOUKOSYNC_API_KEY is not set: /api/* is open to anyone who can reach port {}", port);
        } else {
            digest = SecretDigest.sha256(key.strip());
            log.info("SOUKOSYNC_API_KEY is set: the API answers only calls that carry the key");
        }
    }

    boolean configured() {
        return digest != null;
    }

    /** Authenticates a request that carries "Authorization: Bearer <key>"; the open paths are left alone. */
    Filter filter(RequestMatcher open) {
        AuthenticationManager keyCheck = authentication -> {
            String offered = (String) authentication.getCredentials();
            if (!MessageDigest.isEqual(digest, SecretDigest.sha256(offered))) {
                throw new BadCredentialsException("not the API key");
            }
            return UsernamePasswordAuthenticationToken.authenticated("api-client", null,
                    List.of(new SimpleGrantedAuthority("ROLE_" + ROLE)));
        };
        AuthenticationFilter filter = new AuthenticationFilter(keyCheck, request -> {
            String header = request.getHeader("Authorization");
            return header == null || !header.startsWith(PREFIX) ? null
                    : UsernamePasswordAuthenticationToken.unauthenticated("api-client", header.substring(PREFIX.length()).strip());
        });
        filter.setRequestMatcher(new NegatedRequestMatcher(open));
        filter.setSecurityContextRepository(new RequestAttributeSecurityContextRepository());
        // success: the request goes on; failure: the same 401 as no key at all
        filter.setSuccessHandler((request, response, authentication) -> { });
        AuthenticationEntryPoint refused = (request, response, e) -> {
            response.setHeader("WWW-Authenticate", "Bearer error=\"invalid_token\"");
            errors.write(response, 401, "unauthorized", "this API needs the header Authorization: Bearer <SOUKOSYNC_API_KEY>");
        };
        filter.setFailureHandler(new AuthenticationEntryPointFailureHandler(refused));
        return filter;
    }
}
