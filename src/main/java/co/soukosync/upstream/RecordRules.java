package co.soukosync.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * What a user or warehouse record must hold to be mirrored: the required fields of the original
 * service, and values that fit the typed columns. Anything else in a record is kept as it is.
 */
final class RecordRules {

    enum Kind { ID, TEXT, INTEGER, BOOLEAN }

    record Field(Kind kind, boolean required) {}

    static final Map<String, Field> USER = Map.of(
            "id", new Field(Kind.ID, true),
            "username", new Field(Kind.TEXT, true),
            "email", new Field(Kind.TEXT, true),
            "employee_id", new Field(Kind.TEXT, true),
            "first_name", new Field(Kind.TEXT, true),
            "last_name", new Field(Kind.TEXT, true),
            "tenant_id", new Field(Kind.ID, false),
            "active", new Field(Kind.BOOLEAN, false),
            "type", new Field(Kind.TEXT, false));

    static final Map<String, Field> WAREHOUSE = Map.ofEntries(
            Map.entry("id", new Field(Kind.ID, true)),
            Map.entry("name", new Field(Kind.TEXT, true)),
            Map.entry("line1", new Field(Kind.TEXT, true)),
            Map.entry("line2", new Field(Kind.TEXT, false)),
            Map.entry("site", new Field(Kind.TEXT, false)),
            Map.entry("city", new Field(Kind.TEXT, false)),
            Map.entry("state", new Field(Kind.TEXT, false)),
            Map.entry("zip_code", new Field(Kind.TEXT, false)),
            Map.entry("country", new Field(Kind.TEXT, false)),
            Map.entry("fax", new Field(Kind.TEXT, false)),
            Map.entry("phone", new Field(Kind.TEXT, false)),
            Map.entry("tenant_id", new Field(Kind.ID, false)),
            Map.entry("active", new Field(Kind.BOOLEAN, false)),
            Map.entry("priority", new Field(Kind.INTEGER, false)));

    private RecordRules() {}

    /** The first thing wrong with the record, or null when it can be mirrored. */
    static String problem(JsonNode record, Map<String, Field> rules) {
        if (record == null || !record.isObject()) {
            return "is not an object";
        }
        for (Map.Entry<String, Field> rule : rules.entrySet()) {
            String name = rule.getKey();
            JsonNode value = record.get(name);
            if (value == null || value.isNull()) {
                if (rule.getValue().required()) {
                    return "lacks " + name;
                }
                continue;
            }
            if (!fits(value, rule.getValue().kind())) {
                return "has " + name + " of the wrong type (" + value.getNodeType().name().toLowerCase() + ")";
            }
        }
        return null;
    }

    private static boolean fits(JsonNode value, Kind kind) {
        return switch (kind) {
            case ID -> value.canConvertToLong() && value.isIntegralNumber();
            case INTEGER -> value.isIntegralNumber() && value.canConvertToInt();
            case BOOLEAN -> value.isBoolean();
            case TEXT -> value.isValueNode();
        };
    }
}
