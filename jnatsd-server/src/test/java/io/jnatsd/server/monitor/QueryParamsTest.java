package io.jnatsd.server.monitor;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class QueryParamsTest {

    private static QueryParams query(String name, String value) {
        return new QueryParams(Map.of(name, List.of(value)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"1", "t", "T", "TRUE", "true", "True"})
    void shouldAcceptGoTrueValues(String v) throws Exception {
        assertThat(query("auth", v).bool("auth")).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "f", "F", "FALSE", "false", "False"})
    void shouldAcceptGoFalseValues(String v) throws Exception {
        assertThat(query("auth", v).bool("auth")).isFalse();
    }

    @Test
    void shouldRefuseOtherBoolsWithGoText() {
        // observed on nats-server 2.9.10: /connz?auth=maybe
        assertThatThrownBy(() -> query("auth", "maybe").bool("auth"))
                .hasMessage("Error decoding boolean for 'auth': strconv.ParseBool: parsing \"maybe\": invalid syntax");
        assertThatThrownBy(() -> query("subs", "yes").bool("subs"))
                .hasMessage("Error decoding boolean for 'subs': strconv.ParseBool: parsing \"yes\": invalid syntax");
    }

    @Test
    void shouldTreatMissingValuesAsZero() throws Exception {
        QueryParams none = new QueryParams(Map.of());
        assertThat(none.bool("auth")).isFalse();
        assertThat(none.integer("limit")).isZero();
        assertThat(none.unsigned("cid")).isZero();
        assertThat(none.state()).isEqualTo(ConnzOptions.ConnState.OPEN);
    }

    @ParameterizedTest
    @CsvSource({"x,invalid syntax", "1.5,invalid syntax", "-,invalid syntax", "' 1',invalid syntax",
            "99999999999999999999,value out of range"})
    void shouldRefuseBadIntsWithGoText(String v, String reason) {
        assertThatThrownBy(() -> query("limit", v).integer("limit"))
                .hasMessage("Error decoding int for 'limit': strconv.Atoi: parsing \"" + v + "\": " + reason);
    }

    @Test
    void shouldAcceptSignedInts() throws Exception {
        assertThat(query("offset", "-3").integer("offset")).isEqualTo(-3);
        assertThat(query("offset", "+7").integer("offset")).isEqualTo(7);
        assertThat(query("offset", "9999999999").integer("offset")).isEqualTo(Integer.MAX_VALUE);
    }

    @Test
    void shouldRefuseSignedOrBadUnsignedWithGoText() {
        assertThatThrownBy(() -> query("cid", "-1").unsigned("cid"))
                .hasMessage("Error decoding uint64 for 'cid': strconv.ParseUint: parsing \"-1\": invalid syntax");
        assertThatThrownBy(() -> query("cid", "18446744073709551616").unsigned("cid"))
                .hasMessage("Error decoding uint64 for 'cid': strconv.ParseUint: parsing \"18446744073709551616\": "
                        + "value out of range");
    }

    @ParameterizedTest
    @CsvSource({"open,OPEN", "CLOSED,CLOSED", "any,ALL", "All,ALL"})
    void shouldReadStatesCaseInsensitively(String v, ConnzOptions.ConnState expected) throws Exception {
        assertThat(query("state", v).state()).isEqualTo(expected);
    }

    @Test
    void shouldRefuseUnknownStates() {
        assertThatThrownBy(() -> query("state", "weird").state()).hasMessage("Error decoding state for weird");
    }

    @Test
    void shouldReadSubsDetailInAnyCase() throws Exception {
        assertThat(query("subs", "DETAIL").subs()).containsExactly(false, true);
        assertThat(query("subs", "1").subs()).containsExactly(true, false);
        assertThatThrownBy(() -> query("subs", "x").subs()).hasMessageContaining("parsing \"x\"");
    }
}
