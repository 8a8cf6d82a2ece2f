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

    /** Writes the state atomically and durably. */
    public void save(ClusterState state) throws IOException {
        String text = NodesDescription.describe(state, true) + "vars currentEpoch " + state.currentEpoch()
                + " lastVoteEpoch " + state.lastVoteEpoch() + "\n";
        Path tmp = path.resolveSibling("temp-" + ProcessHandle.current().pid() + "-" + path.getFileName());
        try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            out.write(java.nio.ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
            out.force(true);
        }
        try {
            Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING);
        }
        try (FileChannel dir = FileChannel.open(path.toAbsolutePath().getParent(), StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException ignored) {
            // some file systems cannot fsync a folder; the rename is still atomic
        }
    }

    @Override
    public void close() throws IOException {
        lock.release();
        lockChannel.close();
    }
}
