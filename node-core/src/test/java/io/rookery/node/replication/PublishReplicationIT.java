package io.rookery.node.replication;

import static org.assertj.core.api.Assertions.assertThat;

import io.rookery.node.support.RawConnection;
import io.rookery.node.support.TestNode;
import io.rookery.protocol.RespValue;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** PUBLISH on a primary reaches subscribers of its replicas, as Redis propagates it to replicas. */
class PublishReplicationIT {

    private static boolean linkUp(int port) {
        try (RawConnection fresh = new RawConnection(port)) {
            String info = new String(((RespValue.BulkString) fresh.call("INFO", "replication")).value(), StandardCharsets.US_ASCII);
            return info.contains("master_link_status:up");
        } catch (Exception e) {
            return false;
        }
    }

    private static RespValue bulk(String s) {
        return new RespValue.BulkString(s.getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void aSubscriberOnTheReplicaHearsWhatThePrimaryPublishes() throws Exception {
        try (TestNode primary = TestNode.start(); TestNode replica = TestNode.start();
             RawConnection p = new RawConnection(primary.port()); RawConnection r = new RawConnection(replica.port());
             RawConnection subscriber = new RawConnection(replica.port())) {
            r.call("REPLICAOF", "127.0.0.1", Integer.toString(primary.port()));
            long deadline = System.currentTimeMillis() + 15_000;
            while (!linkUp(replica.port())) {
                if (System.currentTimeMillis() > deadline) {
                    throw new AssertionError("the replica's link did not come up");
                }
                Thread.sleep(20);
            }
            subscriber.call("SUBSCRIBE", "news");
            p.call("PUBLISH", "news", "hello");
            assertThat(subscriber.readReply()).isEqualTo(new RespValue.Array(List.of(bulk("message"), bulk("news"), bulk("hello"))));
        }
    }
}
