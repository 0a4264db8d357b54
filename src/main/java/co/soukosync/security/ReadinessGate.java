package co.soukosync.security;

import co.soukosync.api.ApiErrorWriter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Tomcat accepts connections before Camel's routes exist; until the application is ready (and
 * again once it shuts down) every call but the actuator's is answered 503 with Retry-After,
 * instead of a misleading 404 for an endpoint that is about to exist.
 */
class ReadinessGate extends OncePerRequestFilter {

    private final ApplicationAvailability availability;
    private final ApiErrorWriter errors;

    ReadinessGate(ApplicationAvailability availability, ApiErrorWriter errors) {
        this.availability = availability;
        this.errors = errors;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return request.getRequestURI().startsWith(request.getContextPath() + "/actuator/")
                || availability.getReadinessState() == ReadinessState.ACCEPTING_TRAFFIC;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        response.setHeader("Retry-After", "5");
        errors.write(response, 503, "starting", "the service is not ready yet; try again in a few seconds");
    }
}
