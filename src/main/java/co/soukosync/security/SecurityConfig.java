package co.soukosync.security;

import co.soukosync.api.ApiErrorWriter;
import co.soukosync.config.SoukosyncProperties;
import co.soukosync.upstream.Upstream;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Arrays;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.session.DisableEncodeUrlFilter;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * Who may call what, in one place: two filter chains of Spring Security.
 * <ul>
 * <li>The consoles (Hawtio, Jolokia, the Camel dev console): HTTP basic with MANAGEMENT_USER
 * and MANAGEMENT_PASSWORD, same-origin requests only; without those credentials they do not
 * exist (404).</li>
 * <li>Everything else: with SOUKOSYNC_API_KEY set, every path needs "Authorization: Bearer
 * &lt;key&gt;" but the few that probes and tools read (health, info, Prometheus, the OpenAPI
 * document) and, in demo mode, the demo upstream's own calls. Access is decided on the path the
 * server routes (decoded and normalised), and denied by default, so no spelling of /api gets
 * past it; a route file's paths (ROUTES_DIR) need the key like the API's. The console user's
 * credentials on the health endpoint show its details.</li>
 * </ul>
 * No chain keeps a session or a cookie. Errors are answered in the API's JSON shape.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfig {

    static final String[] CONSOLES = {"/actuator/hawtio", "/actuator/hawtio/**", "/actuator/jolokia", "/actuator/jolokia/**",
            "/actuator/camel", "/actuator/camel/**"};
    static final String[] OPEN = {"/actuator/health", "/actuator/health/**", "/actuator/info", "/actuator/prometheus",
            "/api/openapi.json"};
    /**
     * The demo upstream's own calls (demo-upstream.camel.yaml), which the service makes to itself
     * without the key: open in demo mode only, and only these, so that a route file's path under
     * /demo needs the key like any other.
     */
    static final RequestMatcher DEMO = new OrRequestMatcher(
            PathPatternRequestMatcher.withDefaults().matcher(HttpMethod.POST, "/demo/api/v1/auth"),
            PathPatternRequestMatcher.withDefaults().matcher(HttpMethod.GET, "/demo/api/v1/iam/users/me"),
            PathPatternRequestMatcher.withDefaults().matcher(HttpMethod.GET, "/demo/api/v1/iam/users/{id}/warehouses"));

    @Bean
    @Order(1)
    SecurityFilterChain consoles(HttpSecurity http, ManagementCredentials management,
                                 UserDetailsService managementUsers, ApiErrorWriter refusals) throws Exception {
        stateless(http.securityMatcher(paths(CONSOLES)))
                .addFilterBefore(new SameOriginFilter(refusals), DisableEncodeUrlFilter.class)
                .headers(headers -> headers.frameOptions(frame -> frame.sameOrigin()));
        if (!management.configured()) {
            return http.authorizeHttpRequests(requests -> requests.anyRequest().denyAll())
                    .exceptionHandling(errors -> errors.authenticationEntryPoint((request, response, e) ->
                            refusals.write(response, 404, "not_found", "no such endpoint: " + request.getRequestURI())))
                    .build();
        }
        AuthenticationEntryPoint basic = (request, response, e) -> {
            response.setHeader("WWW-Authenticate", "Basic realm=\"soukosync management\"");
            refusals.write(response, 401, "unauthorized", "the management console needs MANAGEMENT_USER and MANAGEMENT_PASSWORD");
        };
        return http.authorizeHttpRequests(requests -> requests.anyRequest().hasRole("MANAGEMENT"))
                .authenticationManager(consoleLogin(managementUsers))
                .httpBasic(httpBasic -> httpBasic.authenticationEntryPoint(basic))
                .exceptionHandling(errors -> errors.authenticationEntryPoint(basic))
                .build();
    }

    @Bean
    @Order(2)
    SecurityFilterChain application(HttpSecurity http, ApiKey apiKey, ApplicationAvailability availability,
                                    Upstream upstream, ManagementCredentials management,
                                    UserDetailsService managementUsers, ApiErrorWriter refusals) throws Exception {
        if (management.configured()) {
            http.addFilterBefore(new HealthDetailsLogin(managementUsers), AuthorizationFilter.class);
        }
        stateless(http)
                .httpBasic(AbstractHttpConfigurer::disable)
                .addFilterBefore(new ReadinessGate(availability, refusals), DisableEncodeUrlFilter.class)
                .exceptionHandling(errors -> errors
                        .authenticationEntryPoint((request, response, e) -> {
                            response.setHeader("WWW-Authenticate", "Bearer");
                            refusals.write(response, 401, "unauthorized",
                                    "this API needs the header Authorization: Bearer <SOUKOSYNC_API_KEY>");
                        })
                        .accessDeniedHandler((request, response, e) ->
                                refusals.write(response, 403, "forbidden", "these credentials do not give access to this path")));
        if (!apiKey.configured()) {
            return http.authorizeHttpRequests(requests -> requests.anyRequest().permitAll()).build();
        }
        RequestMatcher open = upstream.isDemo() ? new OrRequestMatcher(paths(OPEN), DEMO) : paths(OPEN);
        return http.addFilterBefore(apiKey.filter(open), AuthorizationFilter.class)
                .authorizeHttpRequests(requests -> requests
                        // an error page or the end of an async answer belongs to a request already let in
                        .dispatcherTypeMatchers(DispatcherType.ERROR, DispatcherType.ASYNC).permitAll()
                        .requestMatchers(open).permitAll()
                        .anyRequest().hasRole(ApiKey.ROLE))
                .build();
    }

    /**
     * The console user's basic credentials on /actuator/health, so that Spring Boot shows it the
     * details (management.endpoint.health.roles). Anything else, wrong credentials or none that
     * decode, is a probe like any other: it gets the status, never a 401 (the filter ignores a
     * failed login). The probes' own paths (liveness, readiness) have no details and skip it.
     */
    static final class HealthDetailsLogin extends BasicAuthenticationFilter {

        private static final RequestMatcher HEALTH = paths("/actuator/health", "/actuator/health/**");
        private static final RequestMatcher PROBES = paths("/actuator/health/liveness", "/actuator/health/liveness/**",
                "/actuator/health/readiness", "/actuator/health/readiness/**");

        HealthDetailsLogin(UserDetailsService managementUsers) {
            // the constructor without an entry point: failed attempts go on unauthenticated
            super(consoleLogin(managementUsers));
        }

        @Override
        protected boolean shouldNotFilter(HttpServletRequest request) {
            return !HEALTH.matches(request) || PROBES.matches(request);
        }
    }

    /**
     * The console user's login, by HTTP basic on every request (no session): the password checked
     * as a SHA-256 digest in constant time ({@link SecretDigest}), not by a slow hash.
     */
    static AuthenticationManager consoleLogin(UserDetailsService managementUsers) {
        DaoAuthenticationProvider login = new DaoAuthenticationProvider(managementUsers);
        login.setPasswordEncoder(new SecretDigest());
        return new ProviderManager(login);
    }

    /**
     * The encoder of the console user's password, as a bean so that Spring Security's global
     * AuthenticationManager (built from the UserDetailsService bean) checks it the same way.
     */
    @Bean
    PasswordEncoder consolePasswords() {
        return new SecretDigest();
    }

    @Bean
    UserDetailsService managementUsers(ManagementCredentials management) {
        if (!management.configured()) {
            return new InMemoryUserDetailsManager();
        }
        return new InMemoryUserDetailsManager(User.withUsername(management.user())
                .password(new SecretDigest().encode(management.password()))
                .roles("MANAGEMENT").build());
    }

    @Bean
    ManagementCredentials managementCredentials(SoukosyncProperties properties) {
        return new ManagementCredentials(properties.management().user(), properties.management().password());
    }

    /** MANAGEMENT_USER and MANAGEMENT_PASSWORD; the consoles exist only when both are set. */
    record ManagementCredentials(String user, String password) {
        boolean configured() {
            return !user.isBlank() && !password.isBlank();
        }

        @Override
        public String toString() {
            return "ManagementCredentials[user=" + user + ", password=***]";
        }
    }

    /**
     * Paths as the server routes them (decoded, normalised; Spring Security's firewall has
     * already refused the ambiguous spellings), whichever servlet serves them: Jolokia and
     * Hawtio are not Spring MVC handlers, so MVC-based matching would miss them.
     */
    static RequestMatcher paths(String... patterns) {
        return new OrRequestMatcher(Arrays.stream(patterns)
                .map(pattern -> (RequestMatcher) PathPatternRequestMatcher.withDefaults().matcher(pattern)).toList());
    }

    // no session, no cookie, hence nothing for a forged request to ride on but basic auth,
    // which the consoles' same-origin check covers
    private static HttpSecurity stateless(HttpSecurity http) throws Exception {
        return http.csrf(AbstractHttpConfigurer::disable)
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(cache -> cache.disable())
                .formLogin(AbstractHttpConfigurer::disable)
                .logout(AbstractHttpConfigurer::disable);
    }
}
