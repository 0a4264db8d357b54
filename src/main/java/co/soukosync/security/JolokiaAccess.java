package co.soukosync.security;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import javax.management.ObjectName;
import org.jolokia.server.core.restrictor.policy.PolicyRestrictor;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * Jolokia's restrictor (management.endpoint.jolokia.config.restrictorClass): the policy of
 * jolokia-access.xml, which lets the console password read everything and run a short list of
 * Camel's own operations only, and one rule that a policy file cannot say: an operation or a
 * write runs only when it came by POST. Jolokia takes both in the URL of a GET as well, and a GET
 * is what a link, an image or a prefetch sends. Jolokia makes this class itself, by name, once
 * for its servlet; the request is the one Spring binds to the thread that serves it.
 */
public class JolokiaAccess extends PolicyRestrictor {

    static final String POLICY = "jolokia-access.xml";

    public JolokiaAccess() {
        super(policy());
    }

    @Override
    public boolean isOperationAllowed(ObjectName name, String operation) {
        return byPost() && super.isOperationAllowed(name, operation);
    }

    @Override
    public boolean isAttributeWriteAllowed(ObjectName name, String attribute) {
        return byPost() && super.isAttributeWriteAllowed(name, attribute);
    }

    // no request bound to the thread (never the case for the servlet): refused
    private static boolean byPost() {
        return RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes request
                && "POST".equals(request.getRequest().getMethod());
    }

    private static InputStream policy() {
        try (InputStream policy = JolokiaAccess.class.getClassLoader().getResourceAsStream(POLICY)) {
            if (policy == null) {
                // never run Jolokia without its policy: Jolokia's own default is to allow everything
                throw new IOException("no " + POLICY + " on the classpath");
            }
            return new ByteArrayInputStream(policy.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
