package co.soukosync.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.userdetails.UserDetailsService;

/** The consoles' basic login: the configured user and password, checked by SHA-256 in constant time. */
class ConsoleLoginTest {

    private final UserDetailsService users = new SecurityConfig().managementUsers(
            new SecurityConfig.ManagementCredentials("ops", "console-7373"));
    private final AuthenticationManager login = SecurityConfig.consoleLogin(users);

    private Authentication attempt(String user, String password) {
        return login.authenticate(UsernamePasswordAuthenticationToken.unauthenticated(user, password));
    }

    @Test
    void theConfiguredUserAndPasswordLogIn() {
        Authentication in = attempt("ops", "console-7373");
        assertThat(in.isAuthenticated()).isTrue();
        assertThat(in.getAuthorities()).extracting(GrantedAuthority::getAuthority).containsExactly("ROLE_MANAGEMENT");
    }

    @Test
    void anyOtherPasswordOrUserIsRefused() {
        for (String[] wrong : new String[][] {{"ops", "console-737"}, {"ops", "console-73733"}, {"ops", ""},
                {"ops", "CONSOLE-7373"}, {"other", "console-7373"}, {"", "console-7373"}}) {
            assertThatThrownBy(() -> attempt(wrong[0], wrong[1])).as(String.join(":", wrong))
                    .isInstanceOf(BadCredentialsException.class);
        }
    }

    /** A digest, not a slow hash: every console request logs in again (docs/performance.md, "Console logins"). */
    @Test
    void theStoredFormIsTheDigestNotThePassword() {
        SecretDigest digest = new SecretDigest();
        String stored = users.loadUserByUsername("ops").getPassword();
        assertThat(stored).doesNotContain("console-7373").isEqualTo(digest.encode("console-7373"));
        assertThat(digest.matches("console-7373", stored)).isTrue();
        assertThat(digest.matches("console-7374", stored)).isFalse();
        assertThat(digest.matches(null, stored)).isFalse();
    }
}
