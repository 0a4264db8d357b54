package co.soukosync.ops;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;

/**
 * HTTP basic auth with MANAGEMENT_USER / MANAGEMENT_PASSWORD in front of the consoles; every
 * other path is left to the application (the API key filter guards /api/*, health is open).
 */
@Configuration(proxyBeanMethods = false)
class ManagementSecurity {

    private static final String[] CONSOLES = {"/actuator/hawtio/**", "/actuator/jolokia/**", "/actuator/camel/**"};

    @Bean
    SecurityFilterChain managementConsoles(HttpSecurity http,
                                           @Value("${soukosync.management.console:false}") boolean console) throws Exception {
        return http
                // no session cookies anywhere, so there is nothing for a forged request to ride on
                .csrf(csrf -> csrf.disable())
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                // without credentials the consoles are not exposed at all: 404, not 401
                .authorizeHttpRequests(requests -> (console
                        ? requests.requestMatchers(CONSOLES).hasRole("MANAGEMENT") : requests)
                        .anyRequest().permitAll())
                .httpBasic(Customizer.withDefaults())
                .headers(headers -> headers.frameOptions(frame -> frame.sameOrigin()))
                .build();
    }

    @Bean
    UserDetailsService managementUsers(@Value("${soukosync.management.user:}") String user,
                                       @Value("${soukosync.management.password:}") String password) {
        if (user.isBlank() || password.isBlank()) {
            return new InMemoryUserDetailsManager();
        }
        PasswordEncoder encoder = PasswordEncoderFactories.createDelegatingPasswordEncoder();
        return new InMemoryUserDetailsManager(User.withUsername(user).password(encoder.encode(password))
                .roles("MANAGEMENT").build());
    }
}
