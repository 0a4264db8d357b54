package co.soukosync.api;

import static io.swagger.v3.oas.annotations.media.Schema.AdditionalPropertiesValue.FALSE;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import java.util.Map;

/**
 * The shapes of our answers, for the OpenAPI document only: the REST DSL (sync-api.camel.yaml)
 * names these records in its {@code responseMessage}s, and camel-openapi-java turns them into the
 * document's schemas. The answers themselves are made elsewhere (RunAnswer, ApiError, ApiRequests,
 * and PostgreSQL for the rows), so nothing here is ever built; OpenApiIT checks the real answers
 * against these schemas. Every object is closed (no undocumented field) and names the fields that
 * it always has.
 */
public final class ApiSchemas {

    private ApiSchemas() {
    }

    // ---- runs

    @Schema(name = "RunAnswer", additionalProperties = FALSE, requiredProperties = {"response", "date", "data"},
            description = "A run, in the original service's shape (response, date, data) with what Soukosync adds."
                    + " A failed run is answered 200 too, with response \"error\".")
    public record RunAnswer(
            @Schema(allowableValues = {"ok", "error", "running"},
                    description = "running: GET /api/runs/{id} of a run in progress") String response,
            @Schema(format = "date-time", description = "when the run ended (ISO-8601 UTC, milliseconds); for a run in progress, "
                    + "when this answer was made") String date,
            RunData data,
            @JsonProperty("run_id") @Schema(description = "absent when the sync never became a run (it waited too long for its turn)")
            Long runId,
            @Schema(allowableValues = {"schedule", "call", "cast"}) String trigger,
            @JsonProperty("dry_run") @Schema(description = "true for a dry run, absent otherwise") Boolean dryRun,
            @Schema(description = "true when a forced call released the brake on mass unlinking, absent otherwise") Boolean forced,
            @JsonProperty("started_at") @Schema(format = "date-time") String startedAt,
            @JsonProperty("duration_ms") Long durationMs,
            @JsonProperty("user_id") @Schema(description = "the mirrored user (ok runs)") Long userId,
            RunCounts counts,
            Receipt verified,
            Preview changes,
            List<Warning> warnings) {
    }

    @Schema(name = "RunData", oneOf = {String.class, RunError.class},
            description = "ok: \"N upserted\" (the user and warehouses written; a dry run says that it was rolled back);"
                    + " error: why the run failed; running: \"the run is in progress\"")
    public interface RunData {
    }

    @Schema(name = "RunError", additionalProperties = FALSE, requiredProperties = {"reason", "stage", "message"})
    public record RunError(
            @Schema(description = "timeout, nxdomain, econnrefused, closed, unauthorized, no_credentials, http_<status>,"
                    + " bad_response, db_error, mismatch, suspicious_shrink, interrupted, etc.") String reason,
            @Schema(nullable = true, description = "the stage that failed: auth, fetch_user, fetch_warehouses, store, verify, etc.")
            String stage,
            String message) {
    }

    @Schema(name = "RunCounts", additionalProperties = FALSE, requiredProperties = {"users", "warehouses", "links"})
    public record RunCounts(RowCounts users, RowCounts warehouses, LinkCounts links) {
    }

    @Schema(name = "RowCounts", additionalProperties = FALSE, requiredProperties = {"inserted", "updated", "unchanged"})
    public record RowCounts(Long inserted, Long updated, Long unchanged) {
    }

    @Schema(name = "LinkCounts", additionalProperties = FALSE, requiredProperties = {"added", "removed"})
    public record LinkCounts(Long added, Long removed) {
    }

    @Schema(name = "Receipt", additionalProperties = FALSE, requiredProperties = {"warehouses", "links"},
            description = "The receipt of an ok run: the warehouses and links checked against the upstream answer before the commit")
    public record Receipt(Long warehouses, Long links) {
    }

    @Schema(name = "Preview", additionalProperties = FALSE, requiredProperties = {"data", "more"},
            description = "A dry run's first changes, as GET /api/runs/{id}/changes lists them")
    public record Preview(List<Change> data, @Schema(description = "true: there are more changes than shown") Boolean more) {
    }

    @Schema(name = "Warning", additionalProperties = FALSE, requiredProperties = {"reason", "message"},
            description = "Something a dry run found that a real run would fail on")
    public record Warning(String reason, String message) {
    }

    @Schema(name = "Runs", additionalProperties = FALSE, requiredProperties = {"data"}, description = "Runs, oldest first")
    public record Runs(List<RunAnswer> data) {
    }

    @Schema(name = "Casted", additionalProperties = FALSE, requiredProperties = {"response", "date", "data"})
    public record Casted(
            @Schema(allowableValues = "ok") String response,
            @Schema(format = "date-time") String date,
            @Schema(allowableValues = "sync casted") String data) {
    }

    // ---- what a run changed

    @Schema(name = "Change", oneOf = {RowChange.class, LinkChange.class})
    public interface Change {
    }

    @Schema(name = "RowChange", additionalProperties = FALSE, requiredProperties = {"entity", "id", "change"})
    public record RowChange(
            @Schema(allowableValues = {"users", "warehouses"}) String entity,
            Long id,
            @Schema(allowableValues = {"inserted", "updated"}) String change,
            @Schema(description = "updated: the fields that changed, by name") Map<String, FieldChange> fields) {
    }

    @Schema(name = "LinkChange", additionalProperties = FALSE, requiredProperties = {"entity", "user_id", "warehouse_id", "change"})
    public record LinkChange(
            @Schema(allowableValues = "links") String entity,
            @JsonProperty("user_id") Long userId,
            @JsonProperty("warehouse_id") Long warehouseId,
            @Schema(allowableValues = {"added", "removed"}) String change) {
    }

    @Schema(name = "FieldChange", additionalProperties = FALSE, requiredProperties = {"from", "to"},
            description = "How one field changed")
    public record FieldChange(
            @Schema(description = "the value before (any JSON value; null: the field was absent or null)") Object from,
            @Schema(description = "the value after (any JSON value; null: the field is absent or null)") Object to) {
    }

    @Schema(name = "ChangePage", additionalProperties = FALSE, requiredProperties = {"data", "next"},
            description = "A page of a run's changes: users, then warehouses, then links, each by id")
    public record ChangePage(
            List<Change> data,
            @Schema(nullable = true, description = "the URL of the next page; null on the last page") String next) {
    }

    @Schema(name = "History", additionalProperties = FALSE, requiredProperties = {"data", "next"},
            description = "A page of the runs that inserted or updated one row, oldest first. A user's links are not its"
                    + " fields: the runs' changes list them as links added and removed")
    public record History(
            List<HistoryItem> data,
            @Schema(nullable = true, description = "the URL of the next page; null on the last page") String next) {
    }

    @Schema(name = "HistoryItem", additionalProperties = FALSE, requiredProperties = {"run_id", "date", "change"})
    public record HistoryItem(
            @JsonProperty("run_id") Long runId,
            @Schema(format = "date-time", description = "when that run ended") String date,
            @Schema(allowableValues = {"inserted", "updated"}) String change,
            @Schema(description = "updated: the fields that changed, by name") Map<String, FieldChange> fields) {
    }

    // ---- the mirror

    @Schema(name = "User", additionalProperties = FALSE, requiredProperties = {"id", "username", "email", "employee_id",
            "first_name", "last_name", "tenant_id", "active", "type", "inserted_at", "updated_at", "warehouses",
            "warehouse_count", "warehouses_next"})
    public record User(
            @Schema(description = "the upstream id") Long id,
            String username,
            String email,
            @JsonProperty("employee_id") String employeeId,
            @JsonProperty("first_name") String firstName,
            @JsonProperty("last_name") String lastName,
            @JsonProperty("tenant_id") @Schema(nullable = true) Long tenantId,
            @Schema(nullable = true) Boolean active,
            @Schema(nullable = true) String type,
            @JsonProperty("inserted_at") @Schema(format = "date-time") String insertedAt,
            @JsonProperty("updated_at") @Schema(format = "date-time", description = "moves only when the row really changed")
            String updatedAt,
            @Schema(description = "the ids of the user's warehouses, ascending: all of them up to 1,000, else the first 1,000"
                    + " (warehouses_next pages the others)") List<Long> warehouses,
            @JsonProperty("warehouse_count") @Schema(description = "how many warehouses the user has") Long warehouseCount,
            @JsonProperty("warehouses_next") @Schema(nullable = true, description = "the URL of the page of warehouse ids after"
                    + " those in warehouses (GET /api/users/{id}/warehouses); null when warehouses holds all of them")
            String warehousesNext) {
    }

    @Schema(name = "Warehouse", additionalProperties = FALSE, requiredProperties = {"id", "name", "line1", "line2", "site",
            "city", "state", "zip_code", "country", "fax", "phone", "tenant_id", "active", "priority", "inserted_at", "updated_at"})
    public record Warehouse(
            @Schema(description = "the upstream id") Long id,
            String name,
            String line1,
            @Schema(nullable = true) String line2,
            @Schema(nullable = true) String site,
            @Schema(nullable = true) String city,
            @Schema(nullable = true) String state,
            @JsonProperty("zip_code") @Schema(nullable = true) String zipCode,
            @Schema(nullable = true) String country,
            @Schema(nullable = true) String fax,
            @Schema(nullable = true) String phone,
            @JsonProperty("tenant_id") @Schema(nullable = true) Long tenantId,
            @Schema(nullable = true) Boolean active,
            @Schema(nullable = true) Integer priority,
            @JsonProperty("inserted_at") @Schema(format = "date-time") String insertedAt,
            @JsonProperty("updated_at") @Schema(format = "date-time", description = "moves only when the row really changed")
            String updatedAt) {
    }

    @Schema(name = "UserPage", additionalProperties = FALSE, requiredProperties = {"data", "next"}, description = "A page of users, by id")
    public record UserPage(
            List<User> data,
            @Schema(nullable = true, description = "the URL of the next page; null on the last page") String next) {
    }

    @Schema(name = "WarehousePage", additionalProperties = FALSE, requiredProperties = {"data", "next"}, description = "A page of warehouses, by id")
    public record WarehousePage(
            List<Warehouse> data,
            @Schema(nullable = true, description = "the URL of the next page; null on the last page") String next) {
    }

    @Schema(name = "WarehouseIdPage", additionalProperties = FALSE, requiredProperties = {"data", "next"},
            description = "A page of the ids of a user's warehouses, ascending")
    public record WarehouseIdPage(
            List<Long> data,
            @Schema(nullable = true, description = "the URL of the next page; null on the last page") String next) {
    }

    @Schema(name = "UserAnswer", additionalProperties = FALSE, requiredProperties = {"data"})
    public record UserAnswer(User data) {
    }

    @Schema(name = "WarehouseAnswer", additionalProperties = FALSE, requiredProperties = {"data"})
    public record WarehouseAnswer(Warehouse data) {
    }

    // ---- errors

    @Schema(name = "ApiError", additionalProperties = FALSE, requiredProperties = {"response", "date", "data"},
            description = "Every error answer of the API that is not a run's")
    public record ApiError(
            @Schema(allowableValues = "error") String response,
            @Schema(format = "date-time") String date,
            ApiErrorDetail data) {
    }

    @Schema(name = "ApiErrorDetail", additionalProperties = FALSE, requiredProperties = {"reason", "message"})
    public record ApiErrorDetail(
            @Schema(description = "bad_request, not_found, unauthorized, forbidden, unavailable, db_error, etc.") String reason,
            @Schema(description = "what was wrong, for people") String message) {
    }
}
