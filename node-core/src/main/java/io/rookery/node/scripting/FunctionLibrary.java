package io.rookery.node.scripting;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A library loaded with FUNCTION LOAD: its name, engine, code (with the shebang line) and the
 * functions it registered, in registration order.
 */
final class FunctionLibrary {
    /** A registered function: its flags as declared, its description and the registry reference of its callback. */
    record Function(String name, String description, ShebangFlags flags, java.util.List<String> flagNames, int ref,
                    FunctionLibrary library) {
    }

    final String name;
    final String engine;
    final byte[] code;
    final Map<String, Function> functions = new LinkedHashMap<>();

    FunctionLibrary(String name, String engine, byte[] code) {
        this.name = name;
        this.engine = engine;
        this.code = code;
    }
}
