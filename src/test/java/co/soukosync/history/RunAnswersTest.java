package co.soukosync.history;

import static org.assertj.core.api.Assertions.assertThat;

import co.soukosync.history.RunAnswer.Changes;
import co.soukosync.history.RunAnswer.ErrorData;
import co.soukosync.sync.SyncError;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** History rows (sync_runs) shaped as the API answers them, in the original service's words. */
class RunAnswersTest {

    private final RunAnswers answers = new RunAnswers();

    private static Map<String, Object> okRow() {
        Map<String, Object> row = new HashMap<>();
        row.put("id", 7L);
        row.put("trigger", "call");
        row.put("outcome", "ok");
        row.put("dry_run", false);
        row.put("forced", false);
        row.put("started_at", Timestamp.from(Instant.parse("2026-11-27T10:00:00Z")));
        row.put("finished_at", Timestamp.from(Instant.parse("2026-11-27T10:00:01.250Z")));
        row.put("user_id", 233L);
        row.put("users_inserted", 1);
        row.put("users_updated", 0);
        row.put("users_unchanged", 0);
        row.put("warehouses_inserted", 4);
        row.put("warehouses_updated", 1);
        row.put("warehouses_unchanged", 0);
        row.put("links_added", 5);
        row.put("links_removed", 0);
        row.put("verified_warehouses", 5);
        row.put("verified_links", 5);
        return row;
    }

    @Test
    void anOkRunSaysHowManyRowsItUpsertedAndCountsEachChange() {
        RunAnswer answer = answers.one(List.of(okRow()));

        assertThat(answer.response()).isEqualTo("ok");
        assertThat(answer.data()).isEqualTo("6 upserted");
        assertThat(answer.date()).isEqualTo("2026-11-27T10:00:01.250Z");
        assertThat(answer.startedAt()).isEqualTo("2026-11-27T10:00:00.000Z");
        assertThat(answer.durationMs()).isEqualTo(1250);
        assertThat(answer.runId()).isEqualTo(7);
        assertThat(answer.trigger()).isEqualTo("call");
        assertThat(answer.userId()).isEqualTo(233);
        assertThat(answer.counts().users()).isEqualTo(new Changes(1, 0, 0));
        assertThat(answer.counts().warehouses()).isEqualTo(new Changes(4, 1, 0));
        assertThat(answer.counts().links().added()).isEqualTo(5);
        assertThat(answer.verified().warehouses()).isEqualTo(5);
        assertThat(answer.dryRun()).as("only said when true").isNull();
        assertThat(answer.forced()).isNull();
        assertThat(answer.reason()).isNull();
    }

    @Test
    void aDryRunSaysThatNothingWasWritten() {
        Map<String, Object> row = okRow();
        row.put("dry_run", true);
        row.put("forced", true);

        RunAnswer answer = answers.run(row, null);

        assertThat(answer.data()).isEqualTo("6 upserted (dry run: rolled back, nothing written)");
        assertThat(answer.dryRun()).isTrue();
        assertThat(answer.forced()).isTrue();
    }

    @Test
    void aFailedRunAnswersItsReasonStageAndMessageWithoutCounts() {
        Map<String, Object> row = okRow();
        row.put("outcome", "error");
        row.put("error_reason", "http_503");
        row.put("error_stage", "fetch_warehouses");
        row.put("error_message", "upstream answered HTTP 503 to /api/v1/iam/users/233/warehouses");

        RunAnswer answer = answers.one(List.of(row));

        assertThat(answer.response()).isEqualTo("error");
        assertThat(answer.data()).isEqualTo(new ErrorData("http_503", "fetch_warehouses",
                "upstream answered HTTP 503 to /api/v1/iam/users/233/warehouses"));
        assertThat(answer.reason()).isEqualTo("http_503");
        assertThat(answer.counts()).isNull();
        assertThat(answer.verified()).isNull();
        assertThat(answer.userId()).as("a failed run has no user it wrote").isNull();
    }

    @Test
    void aRunStillRunningIsAnsweredAsRunningWithoutDurationNorCounts() {
        Map<String, Object> row = okRow();
        row.put("outcome", "running");
        row.put("finished_at", null);

        RunAnswer answer = answers.one(List.of(row));

        assertThat(answer.response()).isEqualTo("running");
        assertThat(answer.data()).isEqualTo("the run is in progress");
        assertThat(answer.date()).as("the date of the answer, as every answer has").isNotNull();
        assertThat(answer.durationMs()).isNull();
        assertThat(answer.counts()).isNull();
        assertThat(answer.startedAt()).isEqualTo("2026-11-27T10:00:00.000Z");
    }

    @Test
    void runsAreAnsweredInTheOrderOfTheirRows() {
        Map<String, Object> second = okRow();
        second.put("id", 8L);

        Map<String, Object> answer = answers.runs(List.of(okRow(), second));

        assertThat((List<?>) answer.get("data")).extracting(run -> ((RunAnswer) run).runId()).containsExactly(7L, 8L);
    }

    @Test
    void aSyncThatNeverBecameARunIsAnsweredFromItsFailure() {
        SyncError busy = new SyncError("timeout", "queue", "another sync was still running after 60 s of waiting",
                OffsetDateTime.of(2026, 11, 27, 10, 0, 0, 0, ZoneOffset.UTC));

        RunAnswer answer = answers.failure(null, busy);

        assertThat(answer.response()).isEqualTo("error");
        assertThat(answer.date()).isEqualTo("2026-11-27T10:00:00.000Z");
        assertThat(answer.data()).isEqualTo(new ErrorData("timeout", "queue", "another sync was still running after 60 s of waiting"));
        assertThat(answer.runId()).isNull();
        assertThat(answer.trigger()).isNull();
    }
}
