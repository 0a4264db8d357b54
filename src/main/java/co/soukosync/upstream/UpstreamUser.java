package co.soukosync.upstream;

/** The current user as the upstream answered it: its id, and the whole object as JSON. */
public final class UpstreamUser {

    private final long id;
    private final String json;

    UpstreamUser(long id, String json) {
        this.id = id;
        this.json = json;
    }

    public long getId() {
        return id;
    }

    public String getJson() {
        return json;
    }
}
