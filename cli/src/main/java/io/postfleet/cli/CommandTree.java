package io.postfleet.cli;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import picocli.CommandLine;

/**
 * Every command of a picocli command line, the root first, then each subcommand before its own subcommands, in the
 * order they are declared; an alias is not listed twice. Usage checks walk it so that a command added later is
 * checked without being named anywhere.
 */
public final class CommandTree {

    /**
     * One command.
     *
     * @param words   what an operator types after the root's name to reach it: empty for the root,
     *                {@code [proving, compute, winning-post]} for {@code post-miner proving compute winning-post}
     * @param command the command
     */
    public record Node(List<String> words, CommandLine command) {

        /** The full invocation, e.g. {@code post-miner proving deadlines}. */
        public String qualifiedName() {
            return command.getCommandSpec().qualifiedName();
        }
    }

    private CommandTree() {
    }

    /** The commands of {@code root}, the root first. */
    public static List<Node> of(CommandLine root) {
        List<Node> nodes = new ArrayList<>();
        walk(root, List.of(), nodes, new IdentityHashMap<>());
        return List.copyOf(nodes);
    }

    private static void walk(CommandLine cl, List<String> words, List<Node> nodes, Map<CommandLine, Boolean> seen) {
        if (seen.put(cl, Boolean.TRUE) != null) {
            return;
        }
        nodes.add(new Node(words, cl));
        for (CommandLine sub : cl.getSubcommands().values()) {
            List<String> next = new ArrayList<>(words);
            next.add(sub.getCommandName());
            walk(sub, List.copyOf(next), nodes, seen);
        }
    }
}
