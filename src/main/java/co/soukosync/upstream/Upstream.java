package co.soukosync.upstream;

import java.util.function.Supplier;

/**
 * Where the upstream is and how to sign in: API_BASE_URL with API_TOKEN or API_USER and
 * API_PASSWORD, or the built-in demo upstream's (UpstreamConfig chooses). The routes call
 * {@link #baseUrl()}; the token store signs in with the rest.
 */
public final class Upstream {

    private final Supplier<String> baseUrl;
    private final String token;
    private final String user;
    private final String password;
    private final boolean demo;

    public Upstream(Supplier<String> baseUrl, String token, String user, String password, boolean demo) {
        this.baseUrl = baseUrl;
        this.token = token == null ? "" : token;
        this.user = user == null ? "" : user;
        this.password = password == null ? "" : password;
        this.demo = demo;
    }

    /** The base URL the routes call (…/api/v1), without a trailing slash. */
    public String baseUrl() {
        String url = baseUrl.get();
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    public String token() {
        return token;
    }

    public String user() {
        return user;
    }

    public String password() {
        return password;
    }

    /** True when this is the built-in demo upstream (for the demo routes' precondition). */
    public boolean isDemo() {
        return demo;
    }

    @Override
    public String toString() {
        return "Upstream[" + (demo ? "demo" : baseUrl()) + ", user=" + user + ", password=***, token=***]";
    }
}
