package io.rookery.node.acl;

import io.rookery.protocol.command.CommandSpec;
import io.rookery.protocol.command.CommandTable;
import java.util.List;

/**
 * Redis's ACLDescribeSelectorCommandRules: the shortest-looking rules that rebuild a selector's
 * command permissions. It starts from {@code +@all} when the selector may run future commands, else
 * from {@code -@all}; then repeatedly applies the category that best fits what is left (more commands
 * in common than different, fewest differences), and finally adds or removes single commands and
 * first-args until a fake selector built from the emitted rules has exactly the selector's commands.
 * The output is thus a function of the permissions, not of the rules typed, as in Redis.
 */
final class CommandRulesDescription {
    private CommandRulesDescription() {
    }

    static String describe(AclSelector selector, CommandTable table) {
        StringBuilder rules = new StringBuilder();
        boolean additive = !selector.future;
        AclSelector fake = new AclSelector();
        fake.apply(additive ? "-@all" : "+@all", table);
        rules.append(additive ? "-@all " : "+@all ");

        AclSelector temp = new AclSelector();
        temp.allowed.addAll(selector.allowed);
        boolean[] applied = new boolean[AclCategories.NAMES.size()];
        while (true) {
            int best = -1;
            long minDiff = Integer.MAX_VALUE;
            long maxSame = 0;
            for (int j = 0; j < applied.length; j++) {
                if (applied[j]) {
                    continue;
                }
                long[] onOff = new long[2];
                count(table.commands(), temp, AclCategories.NAMES.get(j), onOff);
                long diff = additive ? onOff[1] : onOff[0];
                long same = additive ? onOff[0] : onOff[1];
                if (same > diff && (diff < minDiff || (diff == minDiff && same > maxSame))) {
                    best = j;
                    minDiff = diff;
                    maxSame = same;
                }
            }
            if (best == -1) {
                break;
            }
            String category = AclCategories.NAMES.get(best);
            fake.setCategory(table.commands(), category, additive);
            temp.setCategory(table.commands(), category, !additive);
            rules.append(additive ? "+@" : "-@").append(category).append(' ');
            applied[best] = true;
        }
        singleCommands(selector, fake, rules, table.commands());
        rules.setLength(rules.length() - 1);
        return rules.toString();
    }

    private static void count(Iterable<CommandSpec> commands, AclSelector s, String category, long[] onOff) {
        for (CommandSpec spec : commands) {
            if (spec.acl().contains(category)) {
                onOff[s.allowed.contains(spec.name()) ? 0 : 1]++;
            }
            if (!spec.subcommands().isEmpty()) {
                count(spec.subcommands().values(), s, category, onOff);
            }
        }
    }

    private static void singleCommands(AclSelector selector, AclSelector fake, StringBuilder rules,
                                       Iterable<CommandSpec> commands) {
        for (CommandSpec spec : commands) {
            boolean user = selector.allowed.contains(spec.name());
            boolean faked = fake.allowed.contains(spec.name());
            if (user != faked) {
                rules.append(user ? '+' : '-').append(spec.name()).append(' ');
                fake.change(spec, user);
            }
            if (!spec.subcommands().isEmpty()) {
                singleCommands(selector, fake, rules, spec.subcommands().values());
            }
            List<String> args = selector.firstArgs.get(spec.name());
            if (!user && args != null) {
                args.forEach(a -> rules.append('+').append(spec.name()).append('|').append(a).append(' '));
            }
        }
    }
}
