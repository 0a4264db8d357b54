package co.soukosync.sync;

import co.soukosync.upstream.UpstreamRun;
import co.soukosync.upstream.WarehouseReader;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One sync run, from the gate that admits it to its answer: everything the steps of
 * sync-pipeline.camel.yaml read and write, in the exchange variable "run". Each step says
 * where the run is ({@link #at}) before it starts, so that a failure names its stage.
 */
public final class SyncRun implements UpstreamRun {

    /** What started the run; its name is the word in the history and the answers. */
    public enum Trigger { schedule, call, cast }

    private final Trigger trigger;
    private final boolean dryRun;
    private final boolean force;
    private final Instant startedAt;
    private final Instant deadline;
    private final Duration callLimit;
    private final boolean changeLog;
    private Long id;
    private String stage = "queue";
    private String callStage;
    private String upstreamPath;
    private long lockKey;
    private Long lockHolder;
    private long userId;
    private String userJson;
    private WarehouseReader warehouses;
    private final RunCounts counts = new RunCounts();
    private SyncError error;
    private String outcome;
    private String brake;
    private List<Map<String, Object>> preview;

    SyncRun(Trigger trigger, boolean dryRun, boolean force, Duration runLimit, Duration callLimit, boolean changeLog,
            Clock clock) {
        this.trigger = trigger;
        this.changeLog = changeLog;
        this.dryRun = dryRun;
        this.force = force;
        this.startedAt = clock.instant();
        this.deadline = startedAt.plus(runLimit);
        this.callLimit = callLimit;
    }

    /** The run enters a stage (auth, fetch_user, fetch_warehouses, store, verify); failures name it. */
    public void at(String stage) {
        this.stage = stage;
    }

    /** The run's next stage calls the upstream at this path (sync-errors retries the whole call). */
    public void calling(String stage, String path) {
        this.stage = stage;
        this.callStage = stage;
        this.upstreamPath = path;
    }

    /** The call itself starts now (the token is there): its failures are its stage's again, not auth's. */
    public void callStarts() {
        this.stage = callStage;
    }

    /** The user as the upstream answered it. */
    @Override
    public void user(long id, String json) {
        this.userId = id;
        this.userJson = json;
    }

    /** The parameters of the SQL statements of this run (:#runId, :#userId, …). */
    public Map<String, Object> getParams() {
        Map<String, Object> params = new HashMap<>(counts.asParams());
        params.put("runId", id);
        params.put("trigger", trigger.name());
        params.put("dryRun", dryRun);
        params.put("forced", force);
        params.put("userId", userId);
        params.put("user", userJson);
        params.put("lockKey", lockKey);
        params.put("lockHolder", lockHolder);
        // a dry run always logs, in its rolled-back transaction: that is how it answers its changes
        params.put("changeLog", changeLog || dryRun);
        return params;
    }

    public Trigger getTrigger() {
        return trigger;
    }

    public boolean isDryRun() {
        return dryRun;
    }

    public boolean isForce() {
        return force;
    }

    public Long getId() {
        return id;
    }

    public void setId(Long id) {
        this.id = id;
    }

    @Override
    public String getStage() {
        return stage;
    }

    public String getUpstreamPath() {
        return upstreamPath;
    }

    @Override
    public Instant getDeadline() {
        return deadline;
    }

    /** When an upstream call of this run that starts then must be whole: the call's deadline, or the run's if sooner. */
    @Override
    public Instant callDeadline(Instant start) {
        Instant end = start.plus(callLimit);
        return end.isBefore(deadline) ? end : deadline;
    }

    public Long getLockHolder() {
        return lockHolder;
    }

    void setLock(long key, long holder) {
        this.lockKey = key;
        this.lockHolder = holder;
    }

    public long getUserId() {
        return userId;
    }

    public WarehouseReader getWarehouses() {
        return warehouses;
    }

    @Override
    public void setWarehouses(WarehouseReader warehouses) {
        this.warehouses = warehouses;
    }

    public RunCounts getCounts() {
        return counts;
    }

    public SyncError getError() {
        return error;
    }

    public void setError(SyncError error) {
        this.error = error;
    }

    /** The run's row has been answered: ok or error. */
    public void answered(String response) {
        this.outcome = response;
    }

    /** ok or error once the run knows, null before (its last log lines carry it: RunLogFields). */
    public String getOutcome() {
        return outcome != null ? outcome : error != null ? "error" : null;
    }

    /** A dry run's note that a real run would have been stopped by the brake on mass unlinking. */
    public String getBrake() {
        return brake;
    }

    void setBrake(String brake) {
        this.brake = brake;
    }

    /** A dry run's first changes, read before its transaction is rolled back. */
    public List<Map<String, Object>> getPreview() {
        return preview;
    }

    public void setPreview(List<Map<String, Object>> preview) {
        this.preview = preview;
    }

    @Override
    public String toString() {
        return "run " + id + " (" + trigger + (dryRun ? ", dry run" : "") + ")";
    }
}
