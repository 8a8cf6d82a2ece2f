package io.rookery.sentinel;

import io.rookery.node.info.InfoWriter;
import io.rookery.sentinel.Instance.Flag;

/** INFO's Sentinel section, field for field as redis-sentinel prints it. */
final class SentinelInfo {
    private final Sentinel s;

    SentinelInfo(Sentinel s) {
        this.s = s;
    }

    void write(InfoWriter out) {
        out.field("sentinel_masters", s.masters.size())
                .field("sentinel_tilt", s.tilt ? 1 : 0)
                .field("sentinel_tilt_since_seconds", s.tilt ? (s.now() - s.tiltStartedAt) / 1000 : -1)
                .field("sentinel_running_scripts", s.scripts.running())
                .field("sentinel_scripts_queue_length", s.scripts.queued())
                .field("sentinel_simulate_failure_flags", s.simulatedFailures);
        int i = 0;
        for (Master m : s.masters.values()) {
            String status = m.is(Flag.O_DOWN) ? "odown" : m.is(Flag.S_DOWN) ? "sdown" : "ok";
            out.field("master" + i++, "name=" + m.name + ",status=" + status + ",address="
                    + m.addr.announced(s.announceHostnames) + ":" + m.addr.port() + ",slaves=" + m.replicas.size()
                    + ",sentinels=" + (m.sentinels.size() + 1));
        }
    }
}
