package co.soukosync.demo;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.camel.Body;
import org.apache.camel.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import co.soukosync.config.SoukosyncProperties;
import co.soukosync.upstream.Upstream;
import co.soukosync.upstream.UpstreamConfig;
import org.springframework.context.annotation.Conditional;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * The data of the built-in demo upstream (routes in demo-upstream.camel.yaml): a password
 * grant, one user and that user's warehouses in the shapes of the Pulpo API. The warehouses
 * change from run to run, so that successive syncs show updates, inserts and removed links.
 * A run asks for the user first, then for its warehouses: the user's answer moves the demo to
 * its next state and the warehouses answer serves that same state, so that the user's own list
 * of warehouse ids and the warehouses answer of one run agree, as the real API's do.
 */
@Component("demoUpstream")
@Conditional(UpstreamConfig.DemoMode.class)
public class DemoUpstream {

    private static final Logger log = LoggerFactory.getLogger(DemoUpstream.class);
    static final long USER_ID = 1001;
    private static final long POP_UP_ID = 9006;

    private final String token = "demo-" + UUID.randomUUID();
    private final AtomicLong runs = new AtomicLong();
    private final Upstream upstream;
    private final boolean forced;

    DemoUpstream(Upstream upstream, SoukosyncProperties properties) {
        this.upstream = upstream;
        this.forced = properties.demo().forced();
    }

    @EventListener(ApplicationReadyEvent.class)
    void announce() {
        log.warn("{}: syncing the built-in DEMO upstream at {} (made-up data). To sync your Pulpo tenant, set "
                        + "API_USER and API_PASSWORD (or API_TOKEN), and API_BASE_URL if it is not {}{}.",
                forced ? "SOUKOSYNC_DEMO=true" : "No DB_HOST, API_TOKEN or API_USER is set", upstream.baseUrl(),
                "https://show.pulpo.co/api/v1", forced ? ", and SOUKOSYNC_DEMO=false" : "");
    }

    /** True when a grant request carries the demo credentials. */
    public boolean validGrant(@Body Map<String, Object> request) {
        return request != null && "password".equals(request.get("grant_type"))
                && UpstreamConfig.DEMO_USER.equals(request.get("username"))
                && UpstreamConfig.DEMO_PASSWORD.equals(request.get("password"));
    }

    public Map<String, Object> grant() {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("access_token", token);
        answer.put("expires_in", 43200);
        answer.put("scope", "default");
        answer.put("token_type", "bearer");
        return answer;
    }

    /** The body of a 401, as the real API words it. */
    public Map<String, Object> refusal(String error) {
        return Map.of("error", error);
    }

    /** True when a data call carries the token this demo handed out. */
    public boolean authorized(@Header("Authorization") String authorization) {
        return ("Bearer " + token).equals(authorization);
    }

    /** The user's answer, a run's first call: the next state of the demo. */
    public Map<String, Object> me() {
        Map<String, Object> user = user();
        user.put("tenant", Map.of("id", 1, "name", "demo_tenant", "industry", "demo", "active", true));
        user.put("profiles", List.of(Map.of("id", 1, "key", "admin", "permissions", List.of())));
        user.put("warehouses", warehouses(runs.incrementAndGet()).stream().map(w -> w.get("id")).toList());
        return user;
    }

    /** The warehouses answer: the state the user's answer moved to (asked again, the same). */
    public Map<String, Object> userWarehouses(@Header("id") String id) {
        Map<String, Object> answer = user();
        answer.put("warehouses", String.valueOf(USER_ID).equals(id) ? warehouses(runs.get()) : List.of());
        return answer;
    }

    private static Map<String, Object> user() {
        Map<String, Object> user = new LinkedHashMap<>();
        user.put("id", USER_ID);
        user.put("username", "demo.user");
        user.put("email", "demo.user@example.com");
        user.put("employee_id", "E-0001");
        user.put("first_name", "Demo");
        user.put("last_name", "User");
        user.put("active", true);
        user.put("tenant_id", 1);
        user.put("erp_tenant_id", null);
        user.put("location_id", null);
        user.put("type", "admin");
        return user;
    }

    private static List<Map<String, Object>> warehouses(long run) {
        List<Map<String, Object>> list = new ArrayList<>();
        String[] names = {"Demo North DC", "Demo South DC", "Demo East Hub", "Demo West Hub", "Demo Returns"};
        for (int i = 0; i < names.length; i++) {
            // the North DC's priority moves on every run: an update per sync
            list.add(warehouse(9001 + i, names[i], i == 0 ? run : 10L * (i + 1)));
        }
        if (run % 3 == 0) {
            // a pop-up store that comes and goes: an insert or a new link, then a removed link
            list.add(warehouse(POP_UP_ID, "Demo Pop-up", 99));
        }
        return list;
    }

    private static Map<String, Object> warehouse(long id, String name, long priority) {
        Map<String, Object> w = new LinkedHashMap<>();
        w.put("active", true);
        w.put("city", "Madrid");
        w.put("country", "Spain");
        w.put("fax", null);
        w.put("id", id);
        w.put("line1", "Calle Demo " + (id - 9000));
        w.put("line2", null);
        w.put("name", name);
        w.put("phone", null);
        w.put("priority", priority);
        w.put("site", "site-" + (id - 9000));
        w.put("state", "Madrid");
        w.put("tenant_id", 1);
        w.put("zip_code", "2800" + (id - 9000));
        return w;
    }
}
