package co.soukosync.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class WarehouseReaderTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static String warehouse(int id) {
        return "{\"id\":" + id + ",\"name\":\"w" + id + "\",\"line1\":\"l" + id + "\",\"fax\":null}";
    }

    private static WarehouseReader reader(String body) {
        return new UpstreamRecords(JSON).warehouses(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)));
    }

    private static List<WarehouseRecord> read(String body) {
        List<WarehouseRecord> out = new ArrayList<>();
        reader(body).forEachRemaining(out::add);
        return out;
    }

    @Test
    void digestIsWhatPostgresComputesForTheSameFieldsNonAsciiNullAndEmptyIncluded() {
        // SELECT soukosync_digest(soukosync_field('42') || soukosync_field('Almacén ☃ 😀')
        //        || soukosync_field(null) || soukosync_field('')) on PostgreSQL 15 (Flyway V4's
        // functions) gave 8007457730853642199, as did Python's hashlib on "2:42,17:Almacén ☃ 😀,~,0:,"
        assertThat(WarehouseRecord.digest("42", "Almacén ☃ 😀", null, "")).isEqualTo(8007457730853642199L);
        assertThat(WarehouseRecord.digest("42", "Almacén ☃ 😀", null, "")).as("the same again, on a reused MD5")
                .isEqualTo(8007457730853642199L);
    }

    @Test
    void saysWhetherTheIdsCameInAscendingOrderForTheStoreToSkipItsLookForAnIdListedTwice() {
        for (List<Integer> ids : List.<List<Integer>>of(List.of(), List.of(7), List.of(1, 2, 9))) {
            assertThat(readAll(ids).isAscending()).as("%s", ids).isTrue();
        }
        for (List<Integer> ids : List.<List<Integer>>of(List.of(2, 1), List.of(1, 2, 2), List.of(1, 5, 3, 9))) {
            assertThat(readAll(ids).isAscending()).as("%s", ids).isFalse();
        }
    }

    private static WarehouseReader readAll(List<Integer> ids) {
        WarehouseReader reader = reader("{\"warehouses\":[" + String.join(",", ids.stream().map(WarehouseReaderTest::warehouse).toList()) + "]}");
        reader.forEachRemaining(record -> { });
        return reader;
    }

    @Test
    void handsOutEveryWarehouseWithItsTypedColumnsAndKeepsCountAndDigestSum() {
        String body = "{\"id\":233,\"warehouses\":[" + warehouse(1) + "," + warehouse(2)
                + ",{\"id\":3,\"name\":\"n\",\"line1\":\"l\",\"zip_code\":28001,\"active\":true,\"priority\":5,\"tenant_id\":137,\"x\":[1]}"
                + "],\"username\":\"u\",\"tenant\":{\"id\":1,\"tags\":[1,2]}}";
        WarehouseReader reader = reader(body);
        List<WarehouseRecord> out = new ArrayList<>();
        reader.forEachRemaining(out::add);

        assertThat(out).extracting(WarehouseRecord::id).containsExactly(1L, 2L, 3L);
        WarehouseRecord third = out.get(2);
        assertThat(third.zipCode()).isEqualTo("28001");
        assertThat(third.active()).isTrue();
        assertThat(third.priority()).isEqualTo(5);
        assertThat(third.tenantId()).isEqualTo(137L);
        assertThat(third.fax()).isNull();
        assertThat(third.rawJson()).contains("\"x\":[1]");
        assertThat(reader.getCount()).isEqualTo(3);
        assertThat(reader.getDigestSum()).isEqualTo(out.get(0).digest() + out.get(1).digest() + out.get(2).digest());
        assertThat(reader.isComplete()).isTrue();
    }

    @Test
    void theDigestDependsOnEveryTypedColumnAndOnNothingElse() {
        WarehouseRecord base = read("{\"warehouses\":[{\"id\":1,\"name\":\"a\",\"line1\":\"b\"}]}").get(0);
        WarehouseRecord extra = read("{\"warehouses\":[{\"id\":1,\"name\":\"a\",\"line1\":\"b\",\"untyped\":9}]}").get(0);
        WarehouseRecord renamed = read("{\"warehouses\":[{\"id\":1,\"name\":\"ab\",\"line1\":\"\"}]}").get(0);
        WarehouseRecord nullVsEmpty = read("{\"warehouses\":[{\"id\":1,\"name\":\"a\",\"line1\":\"b\",\"fax\":\"\"}]}").get(0);

        assertThat(extra.digest()).isEqualTo(base.digest());
        assertThat(renamed.digest()).isNotEqualTo(base.digest());
        assertThat(nullVsEmpty.digest()).isNotEqualTo(base.digest());
    }

    @Test
    void eachRawObjectIsWholeAndAloneWithEscapesKept() {
        List<WarehouseRecord> out = read("{\"warehouses\":[{\"id\":1,\"name\":\"a\\\"b\\\\c\\td\",\"line1\":\"é\",\"x\":{\"y\":[1,null]}},"
                + "{\"id\":2,\"name\":\"n\",\"line1\":\"l\"}]}");

        assertThat(out.get(0).rawJson()).isEqualTo("{\"id\":1,\"name\":\"a\\\"b\\\\c\\td\",\"line1\":\"é\",\"x\":{\"y\":[1,null]}}");
        assertThat(out.get(0).name()).isEqualTo("a\"b\\c\td");
        assertThat(out.get(1).rawJson()).isEqualTo("{\"id\":2,\"name\":\"n\",\"line1\":\"l\"}");
    }

    @Test
    void anEmptyListHandsOutNothing() {
        WarehouseReader reader = reader("{\"warehouses\":[],\"id\":1}");
        assertThat(reader.hasNext()).isFalse();
        assertThat(reader.getCount()).isZero();
        assertThat(reader.getDigestSum()).isZero();
    }

    @Test
    void aTruncatedAnswerFailsEvenAfterTheLastWarehouse() {
        String body = "{\"warehouses\":[" + warehouse(1) + "],\"id\":233,\"username\":\"ju";
        assertThatThrownBy(() -> read(body))
                .isInstanceOf(UpstreamDataException.class)
                .hasMessageStartingWith("the warehouses answer is not valid JSON");
    }

    @Test
    void trailingGarbageFails() {
        assertThatThrownBy(() -> read("{\"warehouses\":[]} {\"x\":1}"))
                .isInstanceOf(UpstreamDataException.class)
                .hasMessage("the warehouses answer does not end where a JSON object ends");
    }

    @Test
    void aRecordWithoutARequiredFieldIsNamed() {
        String body = "{\"warehouses\":[" + warehouse(1) + ",{\"id\":7,\"name\":\"x\"}]}";
        assertThatThrownBy(() -> read(body))
                .isInstanceOf(UpstreamDataException.class)
                .hasMessage("warehouse #2 (id 7) lacks line1");
    }

    @Test
    void aValueOfTheWrongTypeIsNamed() {
        String body = "{\"warehouses\":[{\"id\":7,\"name\":\"x\",\"line1\":\"y\",\"priority\":\"high\"}]}";
        assertThatThrownBy(() -> read(body))
                .isInstanceOf(UpstreamDataException.class)
                .hasMessage("warehouse #1 (id 7) has priority of the wrong type (string)");
    }

    @Test
    void aNulInATypedFieldIsNamedWithTheRecordsId() {
        // the JSON escape of NUL: PostgreSQL takes no NUL in text or jsonb
        String body = "{\"warehouses\":[" + warehouse(1) + ",{\"id\":7,\"name\":\"x\\u0000y\",\"line1\":\"l\"}]}";
        assertThatThrownBy(() -> read(body))
                .isInstanceOf(UpstreamDataException.class)
                .hasMessage("warehouse #2 (id 7) has a NUL character in name");
    }

    @Test
    void aNulInANestedFieldIsNamedByItsPathEvenBeforeTheId() {
        String body = "{\"warehouses\":[{\"profiles\":[{\"name\":\"a\"},{\"tags\":[\"b\",\"\\u0000\"]}],"
                + "\"id\":7,\"name\":\"x\",\"line1\":\"l\"}]}";
        assertThatThrownBy(() -> read(body))
                .isInstanceOf(UpstreamDataException.class)
                .hasMessage("warehouse #1 (id 7) has a NUL character in profiles[1].tags[1]");
    }

    @Test
    void aNulInAFieldNameIsRefusedToo() {
        assertThatThrownBy(() -> read("{\"warehouses\":[{\"id\":7,\"name\":\"x\",\"line1\":\"l\",\"a\\u0000\":1}]}"))
                .isInstanceOf(UpstreamDataException.class)
                .hasMessage("warehouse #1 (id 7) has a NUL character in a field name");
        assertThatThrownBy(() -> read("{\"warehouses\":[{\"id\":7,\"name\":\"x\",\"line1\":\"l\",\"x\":{\"y\":[{\"\\u0000\":1}]}}]}"))
                .isInstanceOf(UpstreamDataException.class)
                .hasMessage("warehouse #1 (id 7) has a NUL character in a field name in x.y[0]");
    }

    @Test
    void aLoneSurrogateIsRefusedWhereverItIs() {
        String head = "{\"warehouses\":[{\"id\":7,\"name\":\"x\",\"line1\":";
        for (String lone : List.of("\\ud800", "a\\ud800b", "\\udc00", "\\ude00\\ud83d", "\\ud83d\\ud83d\\ude00")) {
            assertThatThrownBy(() -> read(head + "\"" + lone + "\"}]}")).as(lone)
                    .isInstanceOf(UpstreamDataException.class)
                    .hasMessage("warehouse #1 (id 7) has a lone surrogate in line1");
        }
        assertThatThrownBy(() -> read(head + "\"l\",\"x\":[\"\\udfff\"]}]}"))
                .isInstanceOf(UpstreamDataException.class)
                .hasMessage("warehouse #1 (id 7) has a lone surrogate in x[0]");
    }

    @Test
    void wholeSurrogatePairsAreKeptEscapedOrNot() {
        List<WarehouseRecord> out = read("{\"warehouses\":[{\"id\":7,\"name\":\"\\ud83d\\ude00\",\"line1\":\"😀\","
                + "\"x\":{\"😀\":\"\\ud83d\\ude00 ☃\"}}]}");

        assertThat(out.get(0).name()).isEqualTo("😀");
        assertThat(out.get(0).line1()).isEqualTo("😀");
        assertThat(out.get(0).rawJson()).contains("☃");
    }

    @Test
    void anAnswerWithoutAListIsRefused() {
        assertThatThrownBy(() -> read("{\"id\":233}"))
                .isInstanceOf(UpstreamDataException.class)
                .hasMessage("the warehouses answer has no list of warehouses");
        assertThatThrownBy(() -> read("<html>"))
                .isInstanceOf(UpstreamDataException.class)
                .hasMessageStartingWith("the warehouses answer is not valid JSON");
    }
}
