package io.rookery.node.persistence;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/**
 * Opens the AOF at start-up when {@code appendonly} is on and there is no AOF yet, refusing to start
 * (as Redis's {@code aofOpenIfNeededOnServerStart} does) when its directory or file cannot be
 * created: a node that started anyway would acknowledge writes that never reach the disk. The
 * failure carries Redis's log text, with the operating system's reason.
 */
final class AofStartup {

    /** The part of opening that creates the increment and the manifest. */
    interface Opening {
        void run() throws IOException;
    }

    private AofStartup() {
    }

    /** Creates the AOF directory, then runs {@code opening}; throws IllegalStateException when either fails. */
    static void open(Aof aof, Opening opening) {
        String dirName = aof.dir().getFileName().toString();
        try {
            if (Files.exists(aof.dir()) && !Files.isDirectory(aof.dir())) {
                throw new NotDirectoryException(aof.dir().toString());
            }
            Files.createDirectories(aof.dir());
        } catch (IOException e) {
            throw new IllegalStateException("Can't open or create append-only dir " + dirName + ": " + reason(e), e);
        }
        openFile(opening);
    }

    /** Runs {@code opening} (of an increment file for appending); throws IllegalStateException naming the file when it fails. */
    static void openFile(Opening opening) {
        try {
            opening.run();
        } catch (IOException e) {
            String file = e instanceof FileSystemException f && f.getFile() != null
                    ? java.nio.file.Path.of(f.getFile()).getFileName().toString() : "";
            throw new IllegalStateException("Can't open the append-only file " + file + ": " + reason(e), e);
        }
    }

    /** The operating system's reason for {@code e}, worded as strerror does. */
    static String reason(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "No such file or directory";
        }
        if (e instanceof AccessDeniedException) {
            return "Permission denied";
        }
        if (e instanceof NotDirectoryException || e instanceof FileAlreadyExistsException) {
            return "Not a directory";
        }
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return f.getReason();
        }
        return e.getMessage() == null ? e.toString() : e.getMessage();
    }
}
