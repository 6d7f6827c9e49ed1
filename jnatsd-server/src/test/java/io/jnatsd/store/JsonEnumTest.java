package io.jnatsd.store;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

class JsonEnumTest {

    @Test
    void shouldSpellEveryStoreEnumAsNatsServerDoes() {
        assertThat(names(AckPolicy.values())).containsExactly("none", "all", "explicit", "flow_control");
        assertThat(names(DiscardPolicy.values())).containsExactly("old", "new");
        assertThat(names(RetentionPolicy.values())).containsExactly("limits", "interest", "workqueue");
        assertThat(names(StorageType.values())).containsExactly("file", "memory");
        assertThat(names(StoreCompression.values())).containsExactly("none", "s2");
    }

    private static String[] names(JsonEnum[] values) {
        return Arrays.stream(values).map(JsonEnum::jsonName).toArray(String[]::new);
    }
}
