package co.soukosync.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** Texts PostgreSQL cannot store, found anywhere in a record that was read whole (the user). */
class RecordRulesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static String problem(String json) throws Exception {
        JsonNode record = JSON.readTree(json);
        return RecordRules.textProblem(record);
    }

    @Test
    void aNulOrALoneSurrogateIsFoundWithItsPath() throws Exception {
        assertThat(problem("{\"id\":1,\"username\":\"a\\u0000b\"}")).isEqualTo("a NUL character in username");
        assertThat(problem("{\"id\":1,\"profiles\":[{\"key\":\"a\"},{\"key\":\"\\ud800\"}]}"))
                .isEqualTo("a lone surrogate in profiles[1].key");
        assertThat(problem("{\"id\":1,\"tenant\":{\"tags\":[[\"x\",\"\\udc00y\"]]}}"))
                .isEqualTo("a lone surrogate in tenant.tags[0][1]");
    }

    @Test
    void aFieldNameIsCheckedToo() throws Exception {
        assertThat(problem("{\"id\":1,\"a\\u0000\":1}")).isEqualTo("a NUL character in a field name");
        assertThat(problem("{\"id\":1,\"tenant\":{\"\\ud800\":1}}")).isEqualTo("a lone surrogate in a field name in tenant");
    }

    @Test
    void wholePairsAndOtherTextsAreFine() throws Exception {
        assertThat(problem("{\"id\":1,\"name\":\"\\ud83d\\ude00 😀 ☃ Almacén\",\"😀\":[\"\\t\\n\"],\"n\":null,\"x\":12}"))
                .isNull();
    }

    @Test
    void theCharacterScanFindsWhatItMustAndNothingElse() {
        assertThat(RecordRules.textProblem("plain")).isNull();
        assertThat(RecordRules.textProblem("\0")).isEqualTo(RecordRules.NUL);
        assertThat(RecordRules.textProblem("x\ud83d")).as("a high half at the end").isEqualTo(RecordRules.LONE_SURROGATE);
        assertThat(RecordRules.textProblem("\ude00\ud83d")).as("a pair the wrong way round").isEqualTo(RecordRules.LONE_SURROGATE);
        assertThat(RecordRules.textProblem("\ud83d\ude00\ud83d\ude00")).isNull();
        char[] chars = "ab\0cd".toCharArray();
        assertThat(RecordRules.textProblem(chars, 3, 2)).as("only the given slice").isNull();
        assertThat(RecordRules.textProblem(chars, 0, 3)).isEqualTo(RecordRules.NUL);
        char[] pair = "\ud83d\ude00".toCharArray();
        assertThat(RecordRules.textProblem(pair, 0, 1)).as("a pair cut by the slice").isEqualTo(RecordRules.LONE_SURROGATE);
    }
}
