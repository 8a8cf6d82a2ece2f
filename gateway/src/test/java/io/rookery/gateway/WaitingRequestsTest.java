package io.rookery.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class WaitingRequestsTest {

    private static Receiver named(String name) {
        return new Receiver() {
            @Override
            public void reply(ByteBuf buf, int from, int to) {
            }

            @Override
            public void failed(String error) {
            }

            @Override
            public String toString() {
                return name;
            }
        };
    }

    @Test
    void requestsComeOutOldestFirstAcrossWrapAroundAndGrowth() {
        WaitingRequests w = new WaitingRequests();
        List<String> out = new ArrayList<>();
        int next = 0;
        for (int round = 0; round < 5; round++) {
            for (int i = 0; i < 10 + round * 20; i++) {
                w.add(named("r" + next++), 0);
            }
            for (int i = 0; i < 7; i++) {
                out.add(w.poll().toString());
            }
        }
        Receiver r;
        while ((r = w.poll()) != null) {
            out.add(r.toString());
        }
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < next; i++) {
            expected.add("r" + i);
        }
        assertThat(out).isEqualTo(expected);
        assertThat(w.isEmpty()).isTrue();
    }

    @Test
    void theOldestDeadlineIsTheHeads() {
        WaitingRequests w = new WaitingRequests();
        w.add(named("a"), 100);
        w.add(named("b"), 0);
        assertThat(w.size()).isEqualTo(2);
        assertThat(w.oldestDeadline()).isEqualTo(100);
        w.poll();
        assertThat(w.oldestDeadline()).isZero();
    }
}
