package co.soukosync.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * One warehouse as the upstream sent it: the typed columns of the mirror, the whole object as
 * JSON, and the digest of the typed columns that PostgreSQL computes too (warehouses.digest,
 * Flyway V4), so that a run can prove what it wrote.
 */
public record WarehouseRecord(long id, String name, String line1, String line2, String site, String city,
                              String state, String zipCode, String country, String fax, String phone,
                              Long tenantId, Boolean active, Integer priority, String raw, long digest) {

    /** The record, or an {@link UpstreamDataException} naming what is wrong with it. */
    static WarehouseRecord of(JsonNode node, long position) {
        String problem = RecordRules.problem(node, RecordRules.WAREHOUSE);
        if (problem != null) {
            throw new UpstreamDataException("fetch_warehouses", "warehouse #" + position + describeId(node) + " " + problem);
        }
        long id = node.get("id").asLong();
        String name = text(node, "name");
        String line1 = text(node, "line1");
        String line2 = text(node, "line2");
        String site = text(node, "site");
        String city = text(node, "city");
        String state = text(node, "state");
        String zipCode = text(node, "zip_code");
        String country = text(node, "country");
        String fax = text(node, "fax");
        String phone = text(node, "phone");
        Long tenantId = present(node, "tenant_id") ? node.get("tenant_id").asLong() : null;
        Boolean active = present(node, "active") ? node.get("active").asBoolean() : null;
        Integer priority = present(node, "priority") ? node.get("priority").asInt() : null;
        long digest = digest(Long.toString(id), name, line1, line2, site, city, state, zipCode, country, fax, phone,
                tenantId == null ? null : tenantId.toString(), active == null ? null : active.toString(),
                priority == null ? null : priority.toString());
        return new WarehouseRecord(id, name, line1, line2, site, city, state, zipCode, country, fax, phone,
                tenantId, active, priority, node.toString(), digest);
    }

    /**
     * The first 64 bits of the md5 of the fields, each written as its UTF-8 length and text, or
     * "~" when null, each followed by a comma: exactly what soukosync_digest(soukosync_field(…)
     * || …) computes in PostgreSQL.
     */
    static long digest(String... fields) {
        StringBuilder text = new StringBuilder();
        for (String field : fields) {
            if (field == null) {
                text.append('~');
            } else {
                text.append(field.getBytes(StandardCharsets.UTF_8).length).append(':').append(field);
            }
            text.append(',');
        }
        byte[] md5;
        try {
            md5 = MessageDigest.getInstance("MD5").digest(text.toString().getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is part of every Java runtime", e);
        }
        long first = 0;
        for (int i = 0; i < 8; i++) {
            first = (first << 8) | (md5[i] & 0xff);
        }
        return first;
    }

    private static boolean present(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && !value.isNull();
    }

    /** A text column's value: strings as they are, other scalars as JSON writes them. */
    private static String text(JsonNode node, String field) {
        if (!present(node, field)) {
            return null;
        }
        JsonNode value = node.get(field);
        return value.isNumber() ? value.decimalValue().toPlainString() : value.asText();
    }

    private static String describeId(JsonNode record) {
        JsonNode id = record == null ? null : record.get("id");
        return id == null || id.isNull() || id.isContainerNode() ? "" : " (id " + id.asText() + ")";
    }
}
