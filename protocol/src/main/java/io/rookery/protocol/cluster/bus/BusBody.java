package io.rookery.protocol.cluster.bus;

import java.util.Arrays;
import java.util.BitSet;
import java.util.List;

/** The variable part of a cluster bus message (the {@code data} union), one record per layout. */
public sealed interface BusBody {

    /** PING, PONG, MEET: gossip about other nodes, then ping extensions. */
    record Gossip(List<GossipEntry> entries, List<PingExtension> extensions) implements BusBody {
        public Gossip {
            entries = List.copyOf(entries);
            extensions = List.copyOf(extensions);
        }
    }

    /** FAIL: the node the sender declares failed. */
    record Fail(String nodeName) implements BusBody {
    }

    /** PUBLISH and PUBLISHSHARD: a message to deliver to the channel's subscribers. */
    record Publish(byte[] channel, byte[] message) implements BusBody {
        public Publish {
            channel = channel.clone();
            message = message.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Publish p && Arrays.equals(p.channel, channel) && Arrays.equals(p.message, message);
        }

        @Override
        public int hashCode() {
            return 31 * Arrays.hashCode(channel) + Arrays.hashCode(message);
        }
    }

    /** UPDATE: the current slot configuration of a node whose slots the receiver holds stale. */
    record Update(long configEpoch, String nodeName, BitSet slots) implements BusBody {
        public Update {
            slots = (BitSet) slots.clone();
        }

        @Override
        public BitSet slots() {
            return (BitSet) slots.clone();
        }
    }

    /** A module message: carried so the frame stays valid, not acted upon (Rookery has no modules). */
    record Module(long moduleId, int moduleType, byte[] payload) implements BusBody {
        public Module {
            payload = payload.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Module m && m.moduleId == moduleId && m.moduleType == moduleType
                    && Arrays.equals(m.payload, payload);
        }

        @Override
        public int hashCode() {
            return Long.hashCode(moduleId) * 31 + Arrays.hashCode(payload);
        }
    }

    /** FAILOVER_AUTH_REQUEST, FAILOVER_AUTH_ACK, MFSTART: the header says it all. */
    record Empty() implements BusBody {
    }

    /** A type this version does not know: the bytes after the header, kept as they came. */
    record Unknown(byte[] data) implements BusBody {
        public Unknown {
            data = data.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Unknown u && Arrays.equals(u.data, data);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(data);
        }
    }
}
