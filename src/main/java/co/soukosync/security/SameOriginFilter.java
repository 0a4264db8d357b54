package co.soukosync.security;

import co.soukosync.api.ApiErrorWriter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The consoles answer their own pages only. A browser that has the operator's basic-auth
 * credentials sends them with any request to this host, also one forged by a page of another
 * origin (a text/plain POST to Jolokia needs no preflight), so a request that says it comes
 * from elsewhere (Origin, or Fetch Metadata's Sec-Fetch-Site) is refused before anything reads
 * it, and Jolokia never gets to grant a foreign origin.
 */
class SameOriginFilter extends OncePerRequestFilter {

    private final ApiErrorWriter errors;

    SameOriginFilter(ApiErrorWriter errors) {
        this.errors = errors;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String origin = request.getHeader("Origin");
        String site = request.getHeader("Sec-Fetch-Site");
        boolean foreignOrigin = origin != null && !origin.equalsIgnoreCase(request.getScheme() + "://" + request.getHeader("Host"));
        boolean foreignSite = "cross-site".equalsIgnoreCase(site) || "same-site".equalsIgnoreCase(site);
        if (foreignOrigin || foreignSite) {
            errors.write(response, 403, "forbidden", "the management console answers requests from its own pages only");
            return;
        }
        chain.doFilter(request, response);
    }
}
