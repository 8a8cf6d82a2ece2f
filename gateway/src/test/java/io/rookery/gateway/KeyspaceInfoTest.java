package io.rookery.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class KeyspaceInfoTest {

    @Test
    void sumsKeysAndExpiresAndWeighsTheAverageTtlByExpires() {
        Map<String, long[]> totals = new TreeMap<>();
        KeyspaceInfo.add("# Keyspace\r\ndb0:keys=10,expires=1,avg_ttl=1000\r\n", totals);
        KeyspaceInfo.add("# Keyspace\r\ndb0:keys=5,expires=3,avg_ttl=5000\r\n", totals);
        KeyspaceInfo.add("# Keyspace\r\n", totals);
        assertThat(KeyspaceInfo.render(totals)).isEqualTo("# Keyspace\r\ndb0:keys=15,expires=4,avg_ttl=4000\r\n");
    }

    @Test
    void anEmptyDatasetIsTheHeaderAlone() {
        Map<String, long[]> totals = new TreeMap<>();
        KeyspaceInfo.add("# Keyspace\r\n", totals);
        assertThat(KeyspaceInfo.render(totals)).isEqualTo("# Keyspace\r\n");
    }

    @Test
    void databasesComeInNumericOrder() {
        Map<String, long[]> totals = new TreeMap<>();
        KeyspaceInfo.add("db10:keys=1,expires=0,avg_ttl=0\r\ndb2:keys=2,expires=0,avg_ttl=0\r\n", totals);
        assertThat(KeyspaceInfo.render(totals))
                .isEqualTo("# Keyspace\r\ndb2:keys=2,expires=0,avg_ttl=0\r\ndb10:keys=1,expires=0,avg_ttl=0\r\n");
    }
}
