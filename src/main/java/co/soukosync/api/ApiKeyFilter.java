package co.soukosync.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * With SOUKOSYNC_API_KEY set, every /api/* call needs "Authorization: Bearer <key>" and gets a
 * 401 JSON answer without it. Keys are compared as SHA-256 digests in constant time, so the
 * answer time says nothing about how much of a guess was right. Unset keeps the original's
 * open API, and the log says so at start.
 */
@Component
class ApiKeyFilter extends OncePerRequestFilter {

    private static final Logger log = LoggerFactory.getLogger(ApiKeyFilter.class);
    private static final String PREFIX = "Bearer ";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final byte[] keyDigest;

    ApiKeyFilter(@Value("${soukosync.api-key:}") String key, @Value("${server.port:5000}") String port) {
        if (key == null || key.isBlank()) {
            keyDigest = null;
            log.warn("SOUKOSYNC_API_KEY is not set: /api/* is open to anyone who can reach port {}", port);
        } else {
            keyDigest = digest(key.strip());
            log.info("SOUKOSYNC_API_KEY is set: /api/* answers only calls that carry the key");
        }
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        return keyDigest == null || !(path.equals("/api") || path.startsWith("/api/"));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String header = request.getHeader("Authorization");
        boolean granted = header != null && header.startsWith(PREFIX)
                && MessageDigest.isEqual(keyDigest, digest(header.substring(PREFIX.length()).strip()));
        if (granted) {
            chain.doFilter(request, response);
            return;
        }
        response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
        response.setHeader("WWW-Authenticate", "Bearer");
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.getWriter().write(JSON.writeValueAsString(ApiRequests.errorBody("unauthorized",
                "this API needs the header Authorization: Bearer <SOUKOSYNC_API_KEY>")));
    }

    private static byte[] digest(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
