package io.rookery.admin.job;

/**
 * One persisted step of a job (see {@link StepKind} for what each field means per kind).
 *
 * @param seq        the step's position in the job, from 0
 * @param slot       the slot a MOVE or FIX is about, else -1
 * @param keysPlanned keys the snapshot said the slot held (0 when not measured)
 * @param bytesPlanned bytes the snapshot said the slot held (0 when not measured)
 */
public record JobStep(long jobId, int seq, StepKind kind, int slot, String nodeId, String peerId, String arg,
                      long epoch, StepState state, long keysPlanned, long bytesPlanned, long keysMoved, long bytesMoved,
                      String error) {

    public static JobStep of(StepKind kind, int slot, String nodeId, String peerId, String arg) {
        return new JobStep(0, 0, kind, slot, nodeId, peerId, arg, 0, StepState.PENDING, 0, 0, 0, 0, null);
    }

    public JobStep numbered(long job, int position) {
        return new JobStep(job, position, kind, slot, nodeId, peerId, arg, epoch, state, keysPlanned, bytesPlanned,
                keysMoved, bytesMoved, error);
    }

    public JobStep withPlanned(long keys, long bytes) {
        return new JobStep(jobId, seq, kind, slot, nodeId, peerId, arg, epoch, state, keys, bytes, keysMoved,
                bytesMoved, error);
    }

    public JobStep withEpoch(long configEpoch) {
        return new JobStep(jobId, seq, kind, slot, nodeId, peerId, arg, configEpoch, state, keysPlanned, bytesPlanned,
                keysMoved, bytesMoved, error);
    }

    public JobStep withState(StepState s, String err) {
        return new JobStep(jobId, seq, kind, slot, nodeId, peerId, arg, epoch, s, keysPlanned, bytesPlanned, keysMoved,
                bytesMoved, err);
    }

    public JobStep withMoved(long keys, long bytes) {
        return new JobStep(jobId, seq, kind, slot, nodeId, peerId, arg, epoch, state, keysPlanned, bytesPlanned, keys,
                bytes, error);
    }

    /** The step in words, for the step log. */
    public String describe() {
        return switch (kind) {
            case MOVE -> "move slot " + slot + " from " + nodeId + " to " + peerId;
            case MEET -> "meet " + arg + " from " + nodeId;
            case ADD_SLOTS -> (arg.isEmpty() ? "no slots" : "add slots " + arg) + " to " + nodeId
                    + (epoch > 0 ? " (config epoch " + epoch + ")" : "");
            case AWAIT_JOINED -> "wait until every node knows every other";
            case REPLICATE -> "make " + nodeId + " a replica of " + peerId;
            case FIX -> arg + " slot " + slot + " on " + nodeId + (peerId != null ? " (peer " + peerId + ")" : "");
            case FORGET -> "forget " + nodeId + " everywhere and reset it";
            case FAILOVER -> "CLUSTER FAILOVER" + (arg == null || arg.isEmpty() ? "" : " " + arg) + " on " + nodeId;
            case AWAIT_CONSISTENT -> "wait until the cluster checks clean";
        };
    }
}
