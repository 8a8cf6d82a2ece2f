package io.rookery.node.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rookery.node.support.RawConnection;
import io.rookery.node.support.TestNode;
import io.rookery.protocol.RespValue;
import org.junit.jupiter.api.Test;

/** The status a node publishes for other threads tells what ROLE, DBSIZE and INFO tell, and cannot be changed. */
class NodeStatusIT {

    @Test
    void aPublishedStatusShowsKeysCommandsAndTheRoleAsRoleSaysIt() throws Exception {
        try (TestNode primary = TestNode.start(); TestNode replica = TestNode.start();
             RawConnection p = new RawConnection(primary.port()); RawConnection r = new RawConnection(replica.port())) {
            p.call("SET", "a", "1");
            p.call("SELECT", "2");
            p.call("SET", "b", "2");
            NodeStatus status = primary.node().freshStatus().join();
            assertThat(status.role()).isEqualTo("master");
            assertThat(status.port()).isEqualTo(primary.port());
            assertThat(status.keysPerDatabase().get(0)).isEqualTo(1);
            assertThat(status.keysPerDatabase().get(2)).isEqualTo(1);
            assertThat(status.command("set").calls()).isEqualTo(2);
            assertThat(status.replication().fields()).containsEntry("role", "master");

            assertThat(r.call("REPLICAOF", "127.0.0.1", Integer.toString(primary.port())))
                    .isEqualTo(new RespValue.SimpleString("OK"));
            NodeStatus following = replica.node().freshStatus().join();
            assertThat(following.role()).isEqualTo("slave");
            assertThat(following.replication().replica()).isTrue();
            assertThat(following.replication().fields()).containsEntry("role", "slave")
                    .containsEntry("master_port", Integer.toString(primary.port()));
        }
    }

    @Test
    void aStatusCannotBeChangedByItsReaders() throws Exception {
        try (TestNode node = TestNode.start()) {
            NodeStatus status = node.node().freshStatus().join();
            assertThatThrownBy(() -> status.keysPerDatabase().set(0, 99)).isInstanceOf(UnsupportedOperationException.class);
            assertThatThrownBy(() -> status.commands().clear()).isInstanceOf(UnsupportedOperationException.class);
            assertThatThrownBy(() -> status.replication().fields().put("role", "slave"))
                    .isInstanceOf(UnsupportedOperationException.class);
        }
    }
}
