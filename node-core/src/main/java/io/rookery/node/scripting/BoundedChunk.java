package io.rookery.node.scripting;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * Decides from a compiled script's Lua 5.1 bytecode ({@code string.dump}) whether a run of it is
 * <b>bounded</b>: it executes each of its own instructions at most once and no other Lua code, so
 * it can never reach the busy-script check (the count hook every 100000 instructions) and may run
 * on the command thread without the handoff to the {@link ScriptThread}.
 *
 * <p>A chunk is bounded when it has fewer than {@link #MAX_INSTRUCTIONS} instructions, no nested
 * function (no CLOSURE, no prototypes), no loop (no FORPREP/FORLOOP/TFORLOOP, no backward JMP) and
 * reads no global of {@code denied}: the ones that lead to Lua code it did not compile itself
 * (loadstring, the sandbox's Lua-written pcall, getfenv, getmetatable, coroutine ...). Globals can
 * only be read by name in Lua 5.1 (GETGLOBAL with a constant), so the check is complete. A script
 * naming cjson's nesting limits stays on the script thread too, for its deeper stack. What stays
 * is C code (a long string.rep, a slow redis.call), which the count hook never interrupts in Redis
 * either.
 *
 * <p>Anything the parser does not recognise counts as unbounded: such a script simply keeps running
 * on the script thread.
 */
final class BoundedChunk {
    /** Far below the hook's 100000, leaving room for the few instructions of sandbox metamethods. */
    static final int MAX_INSTRUCTIONS = 10_000;

    /**
     * cjson's nesting limits: a script that raises them may recurse deeper than the command thread's
     * stack allows (the script thread has 64 MB), so it keeps running there.
     */
    private static final Set<String> DEEP_NESTING = Set.of("decode_max_depth", "encode_max_depth");

    private static final int OP_GETGLOBAL = 5;
    private static final int OP_JMP = 22;
    private static final int OP_FORLOOP = 31;
    private static final int OP_FORPREP = 32;
    private static final int OP_TFORLOOP = 33;
    private static final int OP_CLOSURE = 36;
    private static final int MAXARG_SBX = (1 << 18) - 1 >> 1;

    private BoundedChunk() {
    }

    /** True when a run of the chunk dumped as {@code dump} is bounded (see the class comment). */
    static boolean isBounded(byte[] dump, Set<String> denied) {
        try {
            return check(dump, denied);
        } catch (RuntimeException e) { // truncated or unexpected layout
            return false;
        }
    }

    private static boolean check(byte[] dump, Set<String> denied) {
        ByteBuffer b = ByteBuffer.wrap(dump);
        if (dump.length < 12 || b.get() != 27 || b.get() != 'L' || b.get() != 'u' || b.get() != 'a'
                || b.get() != 0x51 || b.get() != 0) {
            return false;
        }
        b.order(b.get() == 1 ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
        int intSize = b.get();
        int sizeTSize = b.get();
        int instructionSize = b.get();
        int numberSize = b.get();
        b.get(); // integral numbers flag
        if (intSize != 4 || instructionSize != 4 || (sizeTSize != 4 && sizeTSize != 8)) {
            return false;
        }
        skipString(b, sizeTSize); // source
        b.getInt(); // linedefined
        b.getInt(); // lastlinedefined
        b.get(); // nups
        b.get(); // numparams
        b.get(); // is_vararg
        b.get(); // maxstacksize
        int codeSize = b.getInt();
        if (codeSize < 0 || codeSize >= MAX_INSTRUCTIONS) {
            return false;
        }
        int[] code = new int[codeSize];
        for (int i = 0; i < codeSize; i++) {
            code[i] = b.getInt();
        }
        int constantCount = b.getInt();
        String[] constants = new String[constantCount];
        for (int i = 0; i < constantCount; i++) {
            int type = b.get();
            switch (type) {
                case 0 -> { } // nil
                case 1 -> b.get(); // boolean
                case 3 -> b.position(b.position() + numberSize);
                case 4 -> constants[i] = readString(b, sizeTSize);
                default -> {
                    return false;
                }
            }
        }
        for (String c : constants) {
            if (c != null && DEEP_NESTING.contains(c)) {
                return false;
            }
        }
        if (b.getInt() != 0) { // nested prototypes
            return false;
        }
        for (int ins : code) {
            int op = ins & 0x3F;
            switch (op) {
                case OP_FORLOOP, OP_FORPREP, OP_TFORLOOP, OP_CLOSURE -> {
                    return false;
                }
                case OP_JMP -> {
                    if ((ins >>> 14) - MAXARG_SBX < 0) {
                        return false;
                    }
                }
                case OP_GETGLOBAL -> {
                    int k = ins >>> 14;
                    if (k >= constantCount || constants[k] == null || denied.contains(constants[k])) {
                        return false;
                    }
                }
                default -> { }
            }
        }
        return true;
    }

    private static long size(ByteBuffer b, int sizeTSize) {
        return sizeTSize == 8 ? b.getLong() : b.getInt() & 0xFFFFFFFFL;
    }

    private static void skipString(ByteBuffer b, int sizeTSize) {
        long n = size(b, sizeTSize);
        b.position(Math.addExact(b.position(), Math.toIntExact(n)));
    }

    private static String readString(ByteBuffer b, int sizeTSize) {
        int n = Math.toIntExact(size(b, sizeTSize));
        if (n == 0) {
            return null;
        }
        byte[] s = new byte[n - 1]; // the dumped size counts the trailing NUL
        b.get(s);
        b.get();
        return new String(s, StandardCharsets.ISO_8859_1);
    }
}
