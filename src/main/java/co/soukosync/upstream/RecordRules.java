package co.soukosync.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * What a user record must hold to be mirrored: the required fields of the original service, and
 * values that fit the typed columns (a warehouse's are checked as it is read: WarehouseRecord), and
 * what text PostgreSQL can store. Anything else in a record is kept as it is.
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

    static final String NUL = "a NUL character";
    static final String LONE_SURROGATE = "a lone surrogate";

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

    /**
     * What in this text PostgreSQL cannot store (text and jsonb are UTF-8, without NUL): "a NUL
     * character" or "a lone surrogate" (half of a pair, which no UTF-8 can encode), or null when
     * it can be stored. A JSON escape lets the upstream send either. One pass, nothing allocated:
     * it runs for every string of every warehouse.
     */
    static String textProblem(char[] chars, int offset, int length) {
        int end = offset + length;
        for (int i = offset; i < end; i++) {
            char c = chars[i];
            // one comparison for almost every character: c - 1 wraps NUL round to U+FFFF, so only
            // NUL and the characters from U+D800 up are looked at again
            if ((char) (c - 1) >= '\uD7FF') {
                if (c == 0) {
                    return NUL;
                }
                if (c <= '\uDFFF') {
                    if (c <= '\uDBFF' && i + 1 < end && Character.isLowSurrogate(chars[i + 1])) {
                        i++; // a whole pair
                    } else {
                        return LONE_SURROGATE;
                    }
                }
            }
        }
        return null;
    }

    static String textProblem(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == 0 || Character.isSurrogate(c)) {
                char[] chars = text.toCharArray();
                return textProblem(chars, 0, chars.length);
            }
        }
        return null;
    }

    /**
     * The first text anywhere in a record (a value or a field name, at any depth) that PostgreSQL
     * cannot store, and where: "a NUL character in profiles[3].name", "a lone surrogate in a field
     * name in tenant"; null when there is none.
     */
    static String textProblem(JsonNode record) {
        return textProblem(record, "");
    }

    private static String textProblem(JsonNode node, String path) {
        if (node.isTextual()) {
            String problem = textProblem(node.textValue());
            return problem == null ? null : problem + " in " + path;
        }
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                String problem = textProblem(field.getKey());
                if (problem != null) {
                    return problem + " in a field name" + (path.isEmpty() ? "" : " in " + path);
                }
                problem = textProblem(field.getValue(), path.isEmpty() ? field.getKey() : path + "." + field.getKey());
                if (problem != null) {
                    return problem;
                }
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                String problem = textProblem(node.get(i), path + "[" + i + "]");
                if (problem != null) {
                    return problem;
                }
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
