package co.soukosync.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class WarehouseBatchesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static String warehouse(int id) {
        return "{\"id\":" + id + ",\"name\":\"w" + id + "\",\"line1\":\"l" + id + "\",\"fax\":null}";
    }

    private static List<String> read(String body, int batchSize) {
        UpstreamRecords records = new UpstreamRecords(JSON, batchSize);
        WarehouseBatches batches = records.warehouseBatches(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)));
        List<String> out = new ArrayList<>();
        batches.forEachRemaining(out::add);
        return out;
    }

    @Test
    void handsOutBatchesOfTheConfiguredSizeAndKeepsTheIds() {
        String body = "{\"id\":233,\"warehouses\":[" + warehouse(1) + "," + warehouse(2) + "," + warehouse(3)
                + "],\"username\":\"u\",\"tenant\":{\"id\":1,\"tags\":[1,2]}}";
        UpstreamRecords records = new UpstreamRecords(JSON, 2);
        WarehouseBatches batches = records.warehouseBatches(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)));

        List<String> out = new ArrayList<>();
        batches.forEachRemaining(out::add);

        assertThat(out).hasSize(2);
        assertThat(out.get(0)).isEqualTo("[" + warehouse(1) + "," + warehouse(2) + "]");
        assertThat(out.get(1)).isEqualTo("[" + warehouse(3) + "]");
        assertThat(batches.getIdsJson()).isEqualTo("[1,2,3]");
        assertThat(batches.getCount()).isEqualTo(3);
    }

    @Test
    void anEmptyListGivesNoBatch() {
        assertThat(read("{\"warehouses\":[],\"id\":1}", 10)).isEmpty();
    }

    @Test
    void aTruncatedAnswerFailsEvenAfterTheLastWarehouse() {
        String body = "{\"warehouses\":[" + warehouse(1) + "],\"id\":233,\"username\":\"ju";
        assertThatThrownBy(() -> read(body, 10))
                .isInstanceOf(UpstreamDataException.class)
                .hasMessageStartingWith("the warehouses answer is not valid JSON");
    }

    @Test
    void trailingGarbageFails() {
        assertThatThrownBy(() -> read("{\"warehouses\":[]} {\"x\":1}", 10))
                .isInstanceOf(UpstreamDataException.class)
                .hasMessage("the warehouses answer does not end where a JSON object ends");
    }

    @Test
    void aRecordWithoutARequiredFieldIsNamed() {
        String body = "{\"warehouses\":[" + warehouse(1) + ",{\"id\":7,\"name\":\"x\"}]}";
        assertThatThrownBy(() -> read(body, 10))
                .isInstanceOf(UpstreamDataException.class)
                .hasMessage("warehouse #2 (id 7) lacks line1");
    }

    @Test
    void aValueOfTheWrongTypeIsNamed() {
        String body = "{\"warehouses\":[{\"id\":7,\"name\":\"x\",\"line1\":\"y\",\"priority\":\"high\"}]}";
        assertThatThrownBy(() -> read(body, 10))
                .isInstanceOf(UpstreamDataException.class)
                .hasMessage("warehouse #1 (id 7) has priority of the wrong type (string)");
    }

    @Test
    void anAnswerWithoutAListIsRefused() {
        assertThatThrownBy(() -> read("{\"id\":233}", 10))
                .isInstanceOf(UpstreamDataException.class)
                .hasMessage("the warehouses answer has no list of warehouses");
        assertThatThrownBy(() -> read("<html>", 10))
                .isInstanceOf(UpstreamDataException.class)
                .hasMessageStartingWith("the warehouses answer is not valid JSON");
    }
}
