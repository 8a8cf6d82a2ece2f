package io.rookery.node.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import io.rookery.protocol.command.CommandSpec;
import io.rookery.protocol.command.CommandTable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;

/** The gate's state checks answer in their declared order, and the cluster stage is present and off. */
class GateStagesTest {
    private static final CommandSpec SET = CommandTable.standard().lookup("set".getBytes(StandardCharsets.US_ASCII));
    private static final byte[][] ARGS = {"set".getBytes(StandardCharsets.US_ASCII), {'k'}, {'v'}};

    private record Stage(String error, BiConsumer<GateStages, CommandGuard> fill) {
    }

    /** The state stages in the order the gate must ask them. */
    private static final List<Stage> ORDER = List.of(
            new Stage("ERR Can't execute 'set'", GateStages::subscribedContext),
            new Stage("OOM command not allowed", GateStages::outOfMemory),
            new Stage("LOADING Redis is loading the dataset in memory", GateStages::loading),
            new Stage("MISCONF Errors writing to the AOF file", GateStages::misconf),
            new Stage("MASTERDOWN Link with MASTER is down", GateStages::staleData),
            new Stage("READONLY You can't write against a read only replica.", GateStages::readOnlyReplica),
            new Stage("NOREPLICAS Not enough good replicas to write.", GateStages::minReplicas),
            new Stage("ERR DEBUG command not allowed.", GateStages::protectedCommand),
            new Stage("BUSY Redis is busy running a script.", GateStages::busyScript));

    @Test
    void whenEveryStateCheckRefusesTheEarliestStageAnswers() {
        for (int first = 0; first < ORDER.size(); first++) {
            GateStages stages = new GateStages();
            for (int i = first; i < ORDER.size(); i++) {
                String error = ORDER.get(i).error();
                ORDER.get(i).fill().accept(stages, (client, spec, args) -> error);
            }
            assertThat(stages.stateError(null, SET, ARGS)).isEqualTo(ORDER.get(first).error());
        }
    }

    @Test
    void theStateChecksRunInTheirDeclaredOrderWhateverOrderTheyWereFilledIn() {
        GateStages stages = new GateStages();
        List<String> asked = new ArrayList<>();
        for (int i = ORDER.size() - 1; i >= 0; i--) {
            String error = ORDER.get(i).error();
            ORDER.get(i).fill().accept(stages, (client, spec, args) -> {
                asked.add(error);
                return null;
            });
        }
        assertThat(stages.stateError(null, SET, ARGS)).isNull();
        assertThat(asked).containsExactlyElementsOf(ORDER.stream().map(Stage::error).toList());
    }

    @Test
    void emptyStagesLetEveryCommandThroughAndTheClusterStageIsOffUntilPlugged() {
        GateStages stages = new GateStages();
        assertThat(stages.stateError(null, SET, ARGS)).isNull();
        assertThat(stages.slotRedirect(null, SET, ARGS)).isNull();
        stages.clusterSlot((client, spec, args) -> "MOVED 12539 127.0.0.1:7001");
        assertThat(stages.slotRedirect(null, SET, ARGS)).isEqualTo("MOVED 12539 127.0.0.1:7001");
    }
}
