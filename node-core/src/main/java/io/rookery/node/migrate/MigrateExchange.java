package io.rookery.node.migrate;

import java.io.IOException;
import java.io.ByteArrayOutputStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Supplier;

/**
 * One MIGRATE's conversation with its target, as Redis's migrateCommand holds it, run on MIGRATE's I/O
 * thread ({@link MigrateConnections#exchange}) from bytes the command thread prepared: AUTH when a
 * password is given and SELECT when the connection has another database selected, then the RESTOREs
 * (one per key, already serialized), every write and read within the command's timeout; then one
 * reply line per command. A cached connection found dead before the target processed anything is
 * replaced and the whole exchange sent once more, as Redis retries.
 *
 * <p>The {@link Outcome} says which keys the target acknowledged (the source deletes those, unless
 * COPY) and the error to reply, if any: the target's first error as "ERR Target instance replied
 * with error: ...", or "IOERR error or timeout connecting to the client | writing to target instance |
 * reading to target instance".
 */
public final class MigrateExchange {
    /**
     * @param error        null when everything went through, else the error MIGRATE replies
     * @param acknowledged per RESTORE, in order: whether the target answered it with success
     */
    public record Outcome(String error, boolean[] acknowledged) {
    }

    private final String host;
    private final String port;
    private final long db;
    private final int timeoutMillis;
    private final byte[] auth;
    private final Supplier<List<byte[]>> restoresToBuild;
    private byte[][] restores;
    private final int count;

    /**
     * @param auth     the AUTH command to send first (RESP), or null
     * @param restores builds the RESTORE (or RESTORE-ASKING) commands, RESP, {@code count} of them, as
     *                 consecutive parts (see {@link #restoreParts}); called once, on the I/O thread
     *                 (serializing a big value there is what keeps it off the command thread)
     */
    public MigrateExchange(String host, String port, long db, int timeoutMillis, byte[] auth,
                           Supplier<List<byte[]>> restores, int count) {
        this.host = host;
        this.port = port;
        this.db = db;
        this.timeoutMillis = timeoutMillis;
        this.auth = auth;
        this.restoresToBuild = restores;
        this.count = count;
    }

    /** Runs the exchange over {@code connections}' cached connection to the target (I/O thread). */
    Outcome run(MigrateConnections connections) {
        restores = restoresToBuild.get().toArray(new byte[0][]);
        for (int attempt = 0; ; attempt++) {
            Outcome o = attempt(connections, attempt == 0);
            if (o != null) {
                return o;
            }
        }
    }

    /** One attempt; null when it is to be made once more on a fresh connection. */
    private Outcome attempt(MigrateConnections connections, boolean mayRetry) {
        MigrateConnection conn;
        try {
            conn = connections.get(host, port, timeoutMillis, System.currentTimeMillis() / 1000);
        } catch (IOException e) {
            return new Outcome("IOERR error or timeout connecting to the client", new boolean[count]);
        }
        boolean select = conn.lastDb() != db;
        boolean writing = true;
        String authReply = null;
        String selectReply = null;
        try {
            byte[] prefix = select ? concat(auth, command("SELECT", Long.toString(db))) : auth == null ? new byte[0] : auth;
            byte[][] parts = new byte[restores.length + 1][];
            parts[0] = prefix;
            System.arraycopy(restores, 0, parts, 1, restores.length);
            conn.write(timeoutMillis, parts);
            writing = false;
            if (auth != null) {
                authReply = conn.readLine(timeoutMillis);
            }
            if (select) {
                selectReply = conn.readLine(timeoutMillis);
            }
        } catch (IOException e) {
            connections.close(host, port);
            if (mayRetry && !(e instanceof SocketTimeoutException)) {
                return null;
            }
            return new Outcome(ioError(writing), new boolean[count]);
        }
        boolean[] acknowledged = new boolean[count];
        String targetError = null;
        IOException socketError = null;
        int j = 0;
        for (; j < count; j++) {
            String reply;
            try {
                reply = conn.readLine(timeoutMillis);
            } catch (IOException e) {
                socketError = e;
                break;
            }
            String error = authReply != null && authReply.startsWith("-") ? authReply
                    : selectReply != null && selectReply.startsWith("-") ? selectReply
                    : reply.startsWith("-") ? reply : null;
            if (error != null) {
                if (targetError == null) {
                    conn.lastDb(-1);
                    targetError = "ERR Target instance replied with error: " + error.substring(1);
                }
            } else {
                acknowledged[j] = true;
            }
        }
        if (targetError == null && socketError != null && j == 0 && mayRetry
                && !(socketError instanceof SocketTimeoutException)) {
            connections.close(host, port);
            return null;
        }
        if (socketError != null) {
            connections.close(host, port);
        }
        if (targetError != null) {
            return new Outcome(targetError, acknowledged);
        }
        if (socketError != null) {
            return new Outcome(ioError(false), acknowledged);
        }
        conn.lastDb(db);
        return new Outcome(null, acknowledged);
    }

    /** The AUTH (password, or username and password) command to send first. */
    public static byte[] authCommand(byte[] username, byte[] password) {
        byte[] name = "AUTH".getBytes(StandardCharsets.US_ASCII);
        return username == null ? RespCommand.encode(name, password) : RespCommand.encode(name, username, password);
    }

    /** Appends a command to {@code parts} as {@link #MigrateExchange}'s restores take it (a big payload is not copied). */
    public static void restoreParts(List<byte[]> parts, byte[]... args) {
        RespCommand.appendParts(parts, args);
    }

    private static String ioError(boolean writing) {
        return "IOERR error or timeout " + (writing ? "writing" : "reading") + " to target instance";
    }

    private static byte[] concat(byte[] a, byte[] b) {
        if (a == null) {
            return b;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(a.length + b.length);
        out.writeBytes(a);
        out.writeBytes(b);
        return out.toByteArray();
    }

    /** A command as RESP, from text arguments. */
    private static byte[] command(String... args) {
        byte[][] bytes = new byte[args.length][];
        for (int i = 0; i < args.length; i++) {
            bytes[i] = args[i].getBytes(StandardCharsets.UTF_8);
        }
        return RespCommand.encode(bytes);
    }
}
