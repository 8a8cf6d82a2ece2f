package io.rookery.node.cluster;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * The cluster config file (nodes.conf, Redis's format): loaded at start, rewritten whenever the
 * cluster state changes in a way that must survive a restart, and held by one process only.
 *
 * <p>Writes go to a temporary file in the same folder that is fsynced and renamed over the old one,
 * so a crash leaves either the old or the new file, never a torn one. Because the rename replaces the
 * file, the single-process lock is held on a sidecar {@code <file>.lock} for the life of the node.
 */
public final class NodesConfFile implements AutoCloseable {
    private final Path path;
    private final FileChannel lockChannel;
    /** {@link #epochsAndRoles} of the last write forced to disk (null: none yet). */
    private String lastForced;
    private final FileLock lock;

    private NodesConfFile(Path path, FileChannel lockChannel, FileLock lock) {
        this.path = path;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /** Opens and locks the file (it need not exist yet). */
    public static NodesConfFile open(Path path) throws ClusterConfigException {
        Path lockPath = path.resolveSibling(path.getFileName() + ".lock");
        String taken = "Sorry, the cluster configuration file " + path.getFileName() + " is already used by a different "
                + "Redis Cluster node. Please make sure that different nodes use different cluster configuration files.";
        FileChannel channel;
        try {
            channel = FileChannel.open(lockPath, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new ClusterConfigException("Can't open " + path + " in order to lock it: " + e.getMessage());
        }
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (IOException | java.nio.channels.OverlappingFileLockException e) { // overlapping: a node in this JVM
            lock = null;
        }
        if (lock == null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // nothing held
            }
            throw new ClusterConfigException(taken);
        }
        return new NodesConfFile(path, channel, lock);
    }

    public Path path() {
        return path;
    }

    /** The state the file describes, or null when there is no file or it is empty (a new node). */
    public ClusterState load(long now) throws ClusterConfigException {
        if (!Files.exists(path)) {
            return null;
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(path, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ClusterConfigException("Unrecoverable error: can't read the cluster config file " + path + ": " + e.getMessage());
        }
        if (lines.stream().allMatch(String::isBlank)) {
            return null;
        }
        return NodesConfParser.parse(lines, now);
    }

    /**
     * Writes the state atomically (a temporary file renamed over the old one). It is forced to disk
     * only when what votes and epochs rest on changed since the last forced write, as Redis fsyncs
     * nodes.conf only for those changes ({@code CLUSTER_TODO_FSYNC_CONFIG}): a slot handed over by
     * {@code CLUSTER SETSLOT} is written, not forced, which keeps a migration's per-slot steps cheap.
     * A node killed after a write keeps it (the page cache survives the process); only an operating
     * system crash can lose an unforced slot change, which the owner's higher config epoch repairs
     * through gossip.
     */
    public void save(ClusterState state) throws IOException {
        String text = NodesDescription.describe(state, true) + "vars currentEpoch " + state.currentEpoch()
                + " lastVoteEpoch " + state.lastVoteEpoch() + "\n";
        String durable = epochsAndRoles(state);
        boolean force = !durable.equals(lastForced);
        Path tmp = path.resolveSibling("temp-" + ProcessHandle.current().pid() + "-" + path.getFileName());
        try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            out.write(java.nio.ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
            if (force) {
                out.force(true);
            }
        }
        try {
            Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING);
        }
        if (force) {
            try (FileChannel dir = FileChannel.open(path.toAbsolutePath().getParent(), StandardOpenOption.READ)) {
                dir.force(true);
            } catch (IOException ignored) {
                // some file systems cannot fsync a folder; the rename is still atomic
            }
            lastForced = durable;
        }
    }

    /** The epochs, the last vote, and every node's config epoch and role: a change of any is forced to disk. */
    static String epochsAndRoles(ClusterState state) {
        StringBuilder b = new StringBuilder().append(state.currentEpoch()).append(' ').append(state.lastVoteEpoch());
        for (ClusterNode n : state.nodes()) {
            b.append(' ').append(n.name()).append(':').append(n.configEpoch()).append(':');
            b.append(!n.isReplica() ? "primary" : n.primary() == null ? "replica" : n.primary().name());
        }
        return b.toString();
    }

    @Override
    public void close() throws IOException {
        lock.release();
        lockChannel.close();
    }
}
