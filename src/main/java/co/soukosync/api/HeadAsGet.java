package co.soukosync.api;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * A HEAD request to the API is served as its GET, and Tomcat sends no body with the answer, as
 * HTTP asks of every GET (RFC 9110, 9.3.2) and as OPTIONS announces. Camel's contract-first REST
 * DSL routes by the request's method, and the contract has no HEAD operations: it would answer 405.
 * Runs after the security chain, which sees the request as it came.
 */
@Component
class HeadAsGet extends OncePerRequestFilter {

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !"HEAD".equals(request.getMethod()) || !request.getServletPath().startsWith("/api/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        chain.doFilter(new HttpServletRequestWrapper(request) {
            @Override
            public String getMethod() {
                return "GET";
            }
        }, response);
    }
}
