package co.soukosync.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * How the service checks the secrets it is given in plain text (SOUKOSYNC_API_KEY,
 * MANAGEMENT_PASSWORD): as SHA-256 digests compared in constant time, so that the answer time
 * says nothing of how much of a guess was right. A slow hash such as bcrypt protects a stored
 * hash that may leak; the service stores none, and holds the plain text anyway. Its cost would
 * be paid on every request of the stateless consoles (a Hawtio page is dozens of requests, its
 * Jolokia polls more), and by anyone sending wrong basic credentials to the open health endpoint:
 * about 70 ms of CPU a check against 2 microseconds (docs/performance.md, "Console logins").
 */
final class SecretDigest implements PasswordEncoder {

    static byte[] sha256(CharSequence text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.toString().getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    @Override
    public String encode(CharSequence rawPassword) {
        return Base64.getEncoder().encodeToString(sha256(rawPassword));
    }

    @Override
    public boolean matches(CharSequence rawPassword, String encodedPassword) {
        if (rawPassword == null || encodedPassword == null) {
            return false;
        }
        return MessageDigest.isEqual(Base64.getDecoder().decode(encodedPassword), sha256(rawPassword));
    }
}
