package io.rookery.node.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import io.rookery.node.RookeryNode;
import io.rookery.node.config.NodeConfig;
import org.junit.jupiter.api.Test;

class CommandRegistryTest {

    @Test
    void everyCommandInTheTableHasAHandler() {
        RookeryNode node = new RookeryNode(new NodeConfig());
        assertThat(node.parts().registry().missing()).as("table entries without a handler").isEmpty();
    }
}
