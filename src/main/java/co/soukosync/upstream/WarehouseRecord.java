package co.soukosync.upstream;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * One warehouse as the upstream sent it: the typed columns of the mirror, the whole object as
 * JSON (UTF-8), and the digest of the typed columns that PostgreSQL computes too
 * (warehouses.digest, Flyway V4), so that a run can prove what it wrote.
 */
public record WarehouseRecord(long id, String name, String line1, String line2, String site, String city,
                              String state, String zipCode, String country, String fax, String phone,
                              Long tenantId, Boolean active, Integer priority, byte[] raw, long digest) {

    private static final String STAGE = "fetch_warehouses";

    /** One MD5 per thread, looked up once: MessageDigest.getInstance searches the providers on every call. */
    private static final ThreadLocal<MessageDigest> MD5 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is part of every Java runtime", e);
        }
    });

    /** The typed fields, in the order of the digest and of the checks: kind and whether required. */
    private enum Typed {
        id(RecordRules.Kind.ID, true), name(RecordRules.Kind.TEXT, true), line1(RecordRules.Kind.TEXT, true),
        line2(RecordRules.Kind.TEXT, false), site(RecordRules.Kind.TEXT, false), city(RecordRules.Kind.TEXT, false),
        state(RecordRules.Kind.TEXT, false), zip_code(RecordRules.Kind.TEXT, false), country(RecordRules.Kind.TEXT, false),
        fax(RecordRules.Kind.TEXT, false), phone(RecordRules.Kind.TEXT, false), tenant_id(RecordRules.Kind.ID, false),
        active(RecordRules.Kind.BOOLEAN, false), priority(RecordRules.Kind.INTEGER, false);

        final RecordRules.Kind kind;
        final boolean required;

        Typed(RecordRules.Kind kind, boolean required) {
            this.kind = kind;
            this.required = required;
        }

        static Typed of(String field) {
            return switch (field) {
                case "id" -> id;
                case "name" -> name;
                case "line1" -> line1;
                case "line2" -> line2;
                case "site" -> site;
                case "city" -> city;
                case "state" -> state;
                case "zip_code" -> zip_code;
                case "country" -> country;
                case "fax" -> fax;
                case "phone" -> phone;
                case "tenant_id" -> tenant_id;
                case "active" -> active;
                case "priority" -> priority;
                default -> null;
            };
        }
    }

    /**
     * Reads the warehouse whose START_OBJECT the parser is on, token by token, copying the whole
     * object as it goes (no tree is built), and checks it, every string and field name at any
     * depth included, as it is read: an {@link UpstreamDataException} names what is wrong.
     */
    static WarehouseRecord read(JsonParser parser, long position, JsonGenerator rawJson, ByteArrayBuilder rawBytes)
            throws IOException {
        if (parser.currentToken() != JsonToken.START_OBJECT) {
            if (parser.currentToken().isStructStart()) {
                parser.skipChildren();
            }
            throw new UpstreamDataException(STAGE, "warehouse #" + position + " is not an object");
        }
        Typed[] fields = Typed.values();
        String[] text = new String[fields.length];
        JsonToken[] token = new JsonToken[fields.length];
        JsonStreamContext record = parser.getParsingContext();
        // the first text PostgreSQL could not store, and where; reported once the id is known
        String unstorable = null;
        rawBytes.reset();
        rawJson.writeStartObject();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            Typed typed = Typed.of(field);
            // a typed field's name is one of ours; any other is the upstream's own text
            if (typed == null && unstorable == null && RecordRules.textProblem(field) != null) {
                unstorable = RecordRules.textProblem(field) + " in a field name";
            }
            rawJson.writeFieldName(field);
            JsonToken value = parser.nextToken();
            if (typed != null) {
                token[typed.ordinal()] = value;
                text[typed.ordinal()] = value.isScalarValue() ? scalar(parser, value) : null;
            }
            if (value.isStructStart()) {
                String found = copyStructure(parser, rawJson, record);
                if (unstorable == null) {
                    unstorable = found;
                }
            } else {
                if (value == JsonToken.VALUE_STRING && unstorable == null) {
                    // a typed field's text is a String already; asking the parser for its characters
                    // then would copy them once more
                    String found = typed != null
                            ? RecordRules.textProblem(text[typed.ordinal()])
                            : RecordRules.textProblem(parser.getTextCharacters(), parser.getTextOffset(), parser.getTextLength());
                    if (found != null) {
                        unstorable = found + " in " + field;
                    }
                }
                rawJson.copyCurrentEvent(parser);
            }
        }
        rawJson.writeEndObject();
        rawJson.flush();
        String problem = problem(fields, token, text);
        if (problem == null && unstorable != null) {
            problem = "has " + unstorable;
        }
        if (problem != null) {
            String id = token[0] != null && token[0].isScalarValue() && token[0] != JsonToken.VALUE_NULL ? " (id " + text[0] + ")" : "";
            throw new UpstreamDataException(STAGE, "warehouse #" + position + id + " " + problem);
        }
        long digest = digest(text);
        return new WarehouseRecord(Long.parseLong(text[0]), text[1], text[2], text[3], text[4], text[5], text[6], text[7],
                text[8], text[9], text[10], text[11] == null ? null : Long.parseLong(text[11]),
                text[12] == null ? null : Boolean.valueOf(text[12]), text[13] == null ? null : Integer.valueOf(text[13]),
                rawBytes.toByteArray(), digest);
    }

    /**
     * Copies the object or array the parser is on, whole, and checks its strings and field names
     * as they go by. @return the first that PostgreSQL could not store, and where in the record
     * ("a NUL character in profiles[3].name"), or null
     */
    private static String copyStructure(JsonParser parser, JsonGenerator rawJson, JsonStreamContext record)
            throws IOException {
        String found = null;
        int depth = 0;
        JsonToken token = parser.currentToken();
        while (true) {
            if (token == null) {
                throw new UpstreamDataException(STAGE, "the warehouses answer ends inside a warehouse");
            }
            switch (token) {
                case START_OBJECT, START_ARRAY -> depth++;
                case END_OBJECT, END_ARRAY -> depth--;
                case FIELD_NAME -> {
                    if (found == null && RecordRules.textProblem(parser.currentName()) != null) {
                        found = RecordRules.textProblem(parser.currentName()) + " in a field name in "
                                + path(parser.getParsingContext().getParent(), record);
                    }
                }
                case VALUE_STRING -> {
                    if (found == null) {
                        String problem = RecordRules.textProblem(parser.getTextCharacters(), parser.getTextOffset(),
                                parser.getTextLength());
                        if (problem != null) {
                            found = problem + " in " + path(parser.getParsingContext(), record);
                        }
                    }
                }
                default -> { }
            }
            rawJson.copyCurrentEvent(parser);
            if (depth == 0) {
                return found;
            }
            token = parser.nextToken();
        }
    }

    /** Where in the record the parser is: "name", "profiles[3].name" (a context's current field or index, up to the record). */
    private static String path(JsonStreamContext at, JsonStreamContext record) {
        StringBuilder path = new StringBuilder();
        for (JsonStreamContext context = at; context != null; context = context.getParent()) {
            if (context.inArray()) {
                path.insert(0, "[" + context.getCurrentIndex() + "]");
            } else if (context.inObject()) {
                path.insert(0, context == record ? context.getCurrentName() : "." + context.getCurrentName());
            }
            if (context == record) {
                break;
            }
        }
        return path.toString();
    }

    /** A scalar as the text of its column: strings as they are, other scalars as JSON writes them, null as null. */
    private static String scalar(JsonParser parser, JsonToken value) throws IOException {
        return switch (value) {
            case VALUE_NULL -> null;
            case VALUE_STRING -> parser.getText();
            case VALUE_NUMBER_INT -> parser.getText();
            case VALUE_NUMBER_FLOAT -> parser.getDecimalValue().toPlainString();
            case VALUE_TRUE -> "true";
            case VALUE_FALSE -> "false";
            default -> parser.getText();
        };
    }

    /** The first thing wrong, in the order of the fields, or null when the record can be mirrored. */
    private static String problem(Typed[] fields, JsonToken[] token, String[] text) {
        for (Typed field : fields) {
            JsonToken value = token[field.ordinal()];
            if (value == null || value == JsonToken.VALUE_NULL) {
                if (field.required) {
                    return "lacks " + field.name();
                }
                continue;
            }
            boolean fits = switch (field.kind) {
                case TEXT -> value.isScalarValue();
                case BOOLEAN -> value.isBoolean();
                case ID -> value == JsonToken.VALUE_NUMBER_INT && fitsLong(text[field.ordinal()]);
                case INTEGER -> value == JsonToken.VALUE_NUMBER_INT && fitsInt(text[field.ordinal()]);
            };
            if (!fits) {
                return "has " + field.name() + " of the wrong type (" + typeName(value) + ")";
            }
        }
        return null;
    }

    private static boolean fitsLong(String number) {
        try {
            Long.parseLong(number);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static boolean fitsInt(String number) {
        try {
            Integer.parseInt(number);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static String typeName(JsonToken value) {
        return switch (value) {
            case VALUE_STRING -> "string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "number";
            case VALUE_TRUE, VALUE_FALSE -> "boolean";
            case START_OBJECT -> "object";
            case START_ARRAY -> "array";
            default -> value.name().toLowerCase(java.util.Locale.ROOT);
        };
    }

    /**
     * The first 64 bits of the md5 of the fields, each written as its UTF-8 length and text, or
     * "~" when null, each followed by a comma: exactly what soukosync_digest(soukosync_field(…)
     * || …) computes in PostgreSQL.
     */
    static long digest(String... fields) {
        MessageDigest md5 = MD5.get(); // digest() below leaves it reset for the next record
        for (String field : fields) {
            if (field == null) {
                md5.update((byte) '~');
            } else {
                // a record's text has no lone surrogate (RecordRules): these bytes are its UTF-8
                byte[] utf8 = field.getBytes(StandardCharsets.UTF_8);
                md5.update(Integer.toString(utf8.length).getBytes(StandardCharsets.US_ASCII));
                md5.update((byte) ':');
                md5.update(utf8);
            }
            md5.update((byte) ',');
        }
        byte[] sum = md5.digest();
        long first = 0;
        for (int i = 0; i < 8; i++) {
            first = (first << 8) | (sum[i] & 0xff);
        }
        return first;
    }

    /** The whole object as JSON text. */
    public String rawJson() {
        return new String(raw, StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof WarehouseRecord that && id == that.id && digest == that.digest && Arrays.equals(raw, that.raw);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(id) * 31 + Long.hashCode(digest);
    }

    @Override
    public String toString() {
        return "WarehouseRecord[id=" + id + ", name=" + name + "]";
    }
}
