package io.rookery.sentinel;

import io.rookery.protocol.RespValue;
import io.rookery.sentinel.SentinelEvents.Level;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * Discovery and configuration spreading through hello messages, published every two seconds on
 * {@code __sentinel__:hello} of every monitored primary and replica, and sent to every known sentinel
 * (whose PUBLISH accepts only them). A hello is eight comma-separated fields:
 *
 * <pre>
 * sentinel_ip,sentinel_port,sentinel_runid,current_epoch,master_name,master_ip,master_port,master_config_epoch
 * </pre>
 *
 * A hello from an unknown sentinel adds it (+sentinel); a newer current epoch is adopted
 * (+new-epoch); a newer configuration epoch for a primary at another address switches to it
 * (+config-update-from, +switch-master) — this is how the sentinels that did not lead a failover
 * learn its outcome.
 */
final class HelloMessages {
    private final Sentinel s;

    HelloMessages(Sentinel s) {
        this.s = s;
    }

    /** Publishes our hello to {@code ri}; false when the link is down or the address unknown. */
    boolean send(Instance ri) {
        if (ri.link.disconnected) {
            return false;
        }
        String ip = s.announceIp;
        if (ip == null) {
            InetSocketAddress local = ri.link.commands == null ? null : ri.link.commands.localAddress();
            if (local == null) {
                return false;
            }
            ip = local.getAddress().getHostAddress();
        }
        int port = s.announcePort != 0 ? s.announcePort : s.node.port();
        Master m = ri.owner();
        InstanceAddress current = m.currentAddress();
        String payload = ip + "," + port + "," + s.myId + "," + s.currentEpoch + ","
                + m.name + "," + current.announced(s.announceHostnames) + "," + current.port() + "," + m.configEpoch;
        return ri.link.send(reply -> {
            if (!ri.released && !(reply instanceof RespValue.Error)) {
                ri.lastPublished = s.now();
            }
        }, m.command("PUBLISH"), Sentinel.HELLO_CHANNEL, payload);
    }

    /** A message on a primary's or replica's hello subscription. */
    void receive(Instance ri, RespValue message) {
        if (ri.released) {
            return;
        }
        // our own hellos come back too: any traffic shows the pub/sub connection is alive
        ri.link.pubsubLastActivity = s.now();
        List<RespValue> e = message instanceof RespValue.Array a ? a.elements()
                : message instanceof RespValue.Push p ? p.elements() : List.of();
        if (e.size() != 3 || !(e.get(0) instanceof RespValue.BulkString kind) || !kind.text().equals("message")
                || !(e.get(1) instanceof RespValue.BulkString) || !(e.get(2) instanceof RespValue.BulkString payload)) {
            return;
        }
        String hello = payload.text();
        if (hello.contains(s.myId)) {
            return;
        }
        process(hello);
    }

    /** Handles one hello, from a subscription or from another sentinel's PUBLISH to us. */
    void process(String hello) {
        String[] t = hello.split(",", -1);
        if (t.length != 8) {
            return;
        }
        Master m = s.masters.get(t[4]);
        if (m == null) {
            return;
        }
        int port = LenientNumbers.atoi(t[1]);
        int masterPort = LenientNumbers.atoi(t[6]);
        long currentEpoch = LenientNumbers.strtoull(t[3]);
        long masterConfigEpoch = LenientNumbers.strtoull(t[7]);
        Instance si = s.sentinelByAddressAndRunId(m.sentinels, t[0], port, t[2]);
        if (si == null) {
            // new to us, or a known sentinel at a new address
            int removed = s.removeSentinelsWithRunId(m, t[2]);
            if (removed > 0) {
                s.events.about(Level.NOTICE, "+sentinel-address-switch", m,
                        "ip " + t[0] + " port " + port + " for " + t[2]);
            } else {
                Instance other = s.sentinelByAddressAndRunId(m.sentinels, t[0], port, null);
                if (other != null) {
                    // another sentinel used to be at this address: it is gone, everywhere
                    s.events.about(Level.NOTICE, "+sentinel-invalid-addr", other, "");
                    String obsolete = other.runId;
                    for (Master any : s.masters.values()) {
                        s.removeSentinelsWithRunId(any, obsolete);
                    }
                }
            }
            try {
                si = s.createSentinel(m, t[2], t[0], port);
                if (removed == 0) {
                    s.events.about(Level.NOTICE, "+sentinel", si, "");
                }
                s.tryConnectionSharing(si);
                if (removed > 0) {
                    s.updateSentinelAddressInAllMasters(si);
                }
                s.flushConfig();
            } catch (InstanceRejected e) {
                si = null;
            }
        }
        if (currentEpoch > s.currentEpoch) {
            s.currentEpoch = currentEpoch;
            s.flushConfig();
            s.events.emit(Level.WARNING, "+new-epoch", m, Long.toString(s.currentEpoch));
        }
        if (si != null && m.configEpoch < masterConfigEpoch) {
            m.configEpoch = masterConfigEpoch;
            if (masterPort != m.addr.port() || !m.addr.isHost(t[5], s.resolveHostnames)) {
                s.events.about(Level.WARNING, "+config-update-from", si, "");
                s.events.emit(Level.WARNING, "+switch-master", m, m.name + " " + m.addr.announced(s.announceHostnames)
                        + " " + m.addr.port() + " " + t[5] + " " + masterPort);
                InstanceAddress old = m.addr;
                try {
                    s.resetMasterAndChangeAddress(m, t[5], masterPort);
                    s.scripts.clientReconfig(m, "observer", "start", old, m.addr);
                } catch (InstanceRejected e) {
                    // an address we cannot use: keep ours
                }
            }
        }
        if (si != null) {
            si.lastHello = s.now();
        }
    }

    /** Makes the next timer pass send hellos for {@code m} to everyone at once (after a change worth telling). */
    void forceUpdate(Master m) {
        long back = s.timings.publishPeriod + 1;
        rewind(m, back);
        m.sentinels.values().forEach(i -> rewind(i, back));
        m.replicas.values().forEach(i -> rewind(i, back));
    }

    private static void rewind(Instance i, long back) {
        if (i.lastPublished >= back) {
            i.lastPublished -= back;
        }
    }
}
