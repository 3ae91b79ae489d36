package io.postfleet.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Whether a command answers {@code --help} and {@code -h} as a newcomer needs: exit 0, nothing on stderr, and on
 * stdout a usage that names the command, says what it does and lists each option with its doc. Each problem is one
 * line naming the command and the flag, so a check over a whole {@link CommandTree} says at once what to fix.
 */
public final class UsageCheck {

    private UsageCheck() {
    }

    /**
     * Runs {@code words} followed by {@code --help}, then by {@code -h}, each on a new command line from
     * {@code fresh}, and returns what is wrong with the answers; empty when nothing is.
     */
    public static List<String> problems(Supplier<CommandLine> fresh, List<String> words) {
        List<String> problems = new ArrayList<>();
        for (String flag : List.of("--help", "-h")) {
            CommandLine root = fresh.get();
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            root.setOut(new PrintWriter(out, true));
            root.setErr(new PrintWriter(err, true));
            List<String> args = new ArrayList<>(words);
            args.add(flag);
            int exit = root.execute(args.toArray(String[]::new));
            CommandSpec spec = find(root, words).getCommandSpec();
            String name = spec.qualifiedName() + " " + flag;
            String usage = flat(out.toString());
            String usageLetters = letters(out.toString());
            if (exit != 0) {
                problems.add(name + ": exit " + exit + ", expected 0" + firstLine(err.toString()));
            }
            if (!err.toString().isBlank()) {
                problems.add(name + ": printed on stderr" + firstLine(err.toString()));
            }
            if (!usage.contains("Usage: " + spec.qualifiedName())) {
                problems.add(name + ": stdout has no 'Usage: " + spec.qualifiedName() + "' line");
            }
            String description = flat(String.join(" ", spec.usageMessage().description()));
            if (description.isBlank()) {
                problems.add(name + ": the command has no description saying what it does");
            } else if (!usageLetters.contains(letters(description))) {
                problems.add(name + ": the usage does not show the description '" + description + "'");
            }
            for (OptionSpec option : spec.options()) {
                if (option.hidden()) {
                    continue;
                }
                String doc = flat(String.join(" ", option.description()));
                if (doc.isBlank()) {
                    problems.add(name + ": option " + option.longestName() + " has no description");
                } else if (!usage.contains(option.longestName()) || !usageLetters.contains(letters(doc))) {
                    problems.add(name + ": the usage does not list " + option.longestName() + " with its doc");
                }
            }
        }
        return problems;
    }

    private static CommandLine find(CommandLine root, List<String> words) {
        CommandLine cl = root;
        for (String word : words) {
            cl = cl.getSubcommands().get(word);
            if (cl == null) {
                throw new IllegalArgumentException(String.join(" ", words) + ": no such command under "
                        + root.getCommandName());
            }
        }
        return cl;
    }

    /** Whitespace collapsed to one space, for what the usage shows. */
    private static String flat(String text) {
        return text.replaceAll("\\s+", " ").strip();
    }

    /** Without whitespace: the usage breaks a long word (a URL, a path) where its column ends. */
    private static String letters(String text) {
        return text.replaceAll("\\s+", "");
    }

    private static String firstLine(String text) {
        return text.isBlank() ? "" : " (" + text.strip().lines().findFirst().orElse("") + ")";
    }
}
