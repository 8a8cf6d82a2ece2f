package io.rookery.node.acl;

import io.rookery.protocol.command.CommandTable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The ACL file ({@code aclfile}), read by ACL LOAD and at start-up, written by ACL SAVE, in Redis's
 * format (acl.c's ACLLoadFromFile / ACLSaveToFile).
 *
 * <p>Grammar: one user per line, {@code user <name> <rule> ...}, rules as ACL SETUSER takes them
 * (a selector may span words: {@code (+get ~k*)}); blank lines are skipped; fields are separated by
 * single spaces. Loading is all or nothing: any error leaves the current users untouched and is
 * reported as Redis words it ({@code <file>:<line>: <reason>. }, then "WARNING: ACL errors detected,
 * no change to the previously active ACL rules was performed"). A file without a {@code default}
 * user gives the default user Redis's defaults. Saving writes ACL LIST's lines to a temporary file
 * renamed over the old one.
 */
public final class AclFile {
    private AclFile() {
    }

    /** The users the file describes, or throws {@link IllegalArgumentException} with Redis's error text. */
    static Map<String, AclUser> read(Path file, String shownName, CommandTable table, boolean allChannelsByDefault) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("Error loading ACLs, opening file '" + shownName + "': No such file or directory");
        } catch (IOException e) {
            throw new IllegalArgumentException("Error loading ACLs, opening file '" + shownName + "': " + e.getMessage());
        }
        Map<String, AclUser> users = new TreeMap<>();
        StringBuilder errors = new StringBuilder();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            int linenum = i + 1;
            String line = lines[i].strip();
            if (line.isEmpty()) {
                continue;
            }
            List<String> argv = new ArrayList<>(Arrays.asList(line.split(" ", -1)));
            if (!argv.get(0).equals("user") || argv.size() < 2) {
                errors.append(shownName).append(':').append(linenum)
                        .append(" should start with user keyword followed by the username. ");
                continue;
            }
            String name = argv.get(1);
            if (name.indexOf('\0') >= 0) {
                errors.append('\'').append(shownName).append(':').append(linenum).append(": username '").append(name)
                        .append("' contains invalid characters. ");
                continue;
            }
            if (users.containsKey(name)) {
                errors.append("WARNING: Duplicate user '").append(name).append("' found on line ").append(linenum).append(". ");
                continue;
            }
            AclUser u = new AclUser(name, allChannelsByDefault);
            users.put(name, u);
            List<String> rules;
            try {
                rules = AclUsers.mergeSelectors(argv.subList(2, argv.size()));
            } catch (IllegalArgumentException e) {
                errors.append(shownName).append(':').append(linenum).append(": Unmatched parenthesis in selector definition.");
                continue;
            }
            boolean syntaxError = false;
            for (String rule : rules) {
                try {
                    u.apply(rule.strip(), table, allChannelsByDefault);
                } catch (AclRuleException e) {
                    if (e.getMessage().equals(AclRuleException.UNKNOWN_COMMAND)) {
                        errors.append(shownName).append(':').append(linenum).append(": Error in applying operation '")
                                .append(rule).append("': ").append(e.getMessage()).append(". ");
                    } else if (!syntaxError) {
                        errors.append(shownName).append(':').append(linenum).append(": ").append(e.getMessage()).append(". ");
                        syntaxError = true;
                    }
                }
            }
        }
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException(errors
                    + "WARNING: ACL errors detected, no change to the previously active ACL rules was performed");
        }
        return users;
    }

    /** Writes every user as ACL LIST shows it; false when the file could not be written. */
    static boolean write(Path file, List<String> lines) {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp-" + ProcessHandle.current().pid() + "-"
                + System.currentTimeMillis());
        try {
            StringBuilder sb = new StringBuilder();
            lines.forEach(l -> sb.append(l).append('\n'));
            Files.writeString(tmp, sb.toString(), StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return true;
        } catch (IOException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // the temporary file is left behind; the error is what matters
            }
            return false;
        }
    }
}
