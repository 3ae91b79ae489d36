package io.postfleet.cli;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.logging.Logger;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/**
 * A process's settings, each defined once: its flag, its environment variable, its doc, its default and its check.
 * The command line is generated from the definitions ({@link #addTo}), values are resolved flag first, then the
 * environment, then the default ({@link #resolve}), and the resolved configuration prints itself with secrets
 * masked ({@link Config#describe}). A bad value is a {@link ConfigException} naming the flag, where the value came
 * from and what is expected. A setting other programs define by their environment variable alone (Lotus's
 * {@code MINER_API_INFO}, bellperson's {@code BELLMAN_CUSTOM_GPU}) is a key without a flag ({@link Key#env}): read,
 * checked and printed the same way, named by its variable.
 */
public final class ConfigDef {

    private static final Logger LOG = Logger.getLogger(ConfigDef.class.getName());

    private final Map<String, Key<?>> keys = new LinkedHashMap<>();

    /** How a key's text becomes its value; throws IllegalArgumentException with what is expected. */
    @FunctionalInterface
    public interface Parser<T> {
        T parse(String text);
    }

    /**
     * One setting.
     *
     * @param flag         the long option, e.g. {@code --bootstrap}
     * @param env          the environment variable, or null when it has none
     * @param label        the value's placeholder in usage, e.g. {@code HOST:PORT}; null for a switch
     * @param defaultValue the text used when neither flag nor variable is given; null when the setting is required
     * @param doc          what it does, for usage and the start-up print
     * @param list         repeatable (a list; the variable is comma-separated)
     * @param secret       masked when printed
     * @param oldFlag      a former name of the flag, still read (hidden from usage, with a note); null when none
     * @param oldEnv       a former name of the variable, read when {@code env} is not set (with a note); null when none
     * @param shown        how a secret value is printed, e.g. an API info with its token part masked; null: the
     *                     whole value is printed as {@code ****}
     */
    public record Key<T>(String flag, String env, String label, String defaultValue, String doc, boolean list,
                         boolean secret, Parser<T> parser, Predicate<T> check, String checkMessage, String oldFlag,
                         String oldEnv, Function<T, String> shown) {

        public Key {
            if (flag == null && env == null) {
                throw new IllegalArgumentException("a setting needs a flag or an environment variable");
            }
        }

        /** The same key, refusing values {@code ok} does not accept, with {@code message} saying what is expected. */
        public Key<T> must(Predicate<T> ok, String message) {
            return new Key<>(flag, env, label, defaultValue, doc, list, secret, parser, ok, message, oldFlag, oldEnv,
                    shown);
        }

        /** The same key, a secret: printed as {@code ****}, and a value it refuses is not repeated in the message. */
        public Key<T> masked() {
            return new Key<>(flag, env, label, defaultValue, doc, list, true, parser, check, checkMessage, oldFlag,
                    oldEnv, null);
        }

        /**
         * The same key, holding a secret inside a value that is worth printing: printed as {@code show} writes it
         * (which masks the secret part), and a value it refuses is not repeated in the message.
         */
        public Key<T> maskedAs(Function<T, String> show) {
            return new Key<>(flag, env, label, defaultValue, doc, list, true, parser, check, checkMessage, oldFlag,
                    oldEnv, show);
        }

        /** The same key, also read under its former flag and variable names, each use noted on stderr. */
        public Key<T> formerly(String flag, String env) {
            return new Key<>(this.flag, this.env, label, defaultValue, doc, list, secret, parser, check, checkMessage,
                    flag, env, shown);
        }

        /** A single-valued setting; {@code defaultValue} null makes it required. */
        public static <T> Key<T> of(String flag, String env, String label, String defaultValue, String doc,
                                    Parser<T> parser) {
            return new Key<>(flag, env, label, defaultValue, doc, false, false, parser, v -> true, null, null, null,
                    null);
        }

        /**
         * A setting read from its environment variable only, as the program that defined the variable reads it; it
         * has no flag and is named by the variable in messages and in the start-up print.
         */
        public static <T> Key<T> env(String env, String label, String defaultValue, String doc, Parser<T> parser) {
            return new Key<>(null, env, label, defaultValue, doc, false, false, parser, v -> true, null, null, null,
                    null);
        }

        /** A text setting. */
        public static Key<String> text(String flag, String env, String label, String defaultValue, String doc) {
            return of(flag, env, label, defaultValue, doc, t -> t);
        }

        /** A repeatable setting, empty unless given; its environment variable holds the values separated by commas. */
        public static <T> Key<List<T>> list(String flag, String env, String label, String doc, Parser<T> parser) {
            Parser<List<T>> each = text -> text.isBlank() ? List.of()
                    : Arrays.stream(text.split(",")).map(String::strip).map(parser::parse).toList();
            return new Key<>(flag, env, label, "", doc, true, false, each, v -> true, null, null, null, null);
        }

        /** An on/off switch, off unless given. */
        public static Key<Boolean> onOff(String flag, String env, String doc) {
            return new Key<>(flag, env, null, "false", doc, false, false, ConfigDef::parseBoolean, v -> true, null,
                    null, null, null);
        }

        /** What the setting is called: its flag, or its variable when it has no flag. */
        public String name() {
            return flag != null ? flag : env;
        }

        boolean isSwitch() {
            return label == null;
        }

        boolean envOnly() {
            return flag == null;
        }
    }

    /** @param keys every setting of the process, in the order usage and the start-up print list them */
    public ConfigDef(List<Key<?>> keys) {
        for (Key<?> k : keys) {
            if (this.keys.put(k.name(), k) != null) {
                throw new IllegalArgumentException(k.name() + " is defined twice");
            }
        }
    }

    public List<Key<?>> keys() {
        return List.copyOf(keys.values());
    }

    /**
     * Adds one option per key to {@code spec}, with its doc, variable and default in the description; the keys without
     * a flag are listed after the options, under "Environment".
     */
    public void addTo(CommandSpec spec) {
        List<String> environment = new ArrayList<>();
        for (Key<?> k : keys.values()) {
            if (k.envOnly()) {
                environment.add("  " + k.env() + "=" + k.label());
                environment.addAll(wrapped(k.doc() + (k.defaultValue() == null || k.defaultValue().isEmpty() ? ""
                        : " (default " + k.defaultValue() + ")"), "      ", 80));
                continue;
            }
            StringBuilder d = new StringBuilder(k.doc());
            List<String> notes = new ArrayList<>();
            if (k.env() != null) {
                notes.add("env " + k.env());
            }
            if (!k.isSwitch() && k.defaultValue() != null && !k.defaultValue().isEmpty()) {
                notes.add("default " + k.defaultValue());
            } else if (!k.isSwitch() && k.defaultValue() == null) {
                notes.add("required");
            }
            if (k.list()) {
                notes.add("repeatable");
            }
            if (!notes.isEmpty()) {
                d.append(" (").append(String.join("; ", notes)).append(")");
            }
            OptionSpec.Builder b = OptionSpec.builder(k.flag()).description(d.toString());
            if (k.isSwitch()) {
                b.arity("0").type(boolean.class);
            } else if (k.list()) {
                b.paramLabel(k.label()).type(List.class).auxiliaryTypes(String.class);
            } else {
                b.paramLabel(k.label()).type(String.class);
            }
            spec.addOption(b.build());
            if (k.oldFlag() != null) {
                OptionSpec.Builder old = OptionSpec.builder(k.oldFlag()).hidden(true)
                        .description("former name of " + k.flag());
                if (k.isSwitch()) {
                    old.arity("0").type(boolean.class);
                } else {
                    old.paramLabel(k.label()).type(String.class);
                }
                spec.addOption(old.build());
            }
        }
        if (!environment.isEmpty()) {
            List<String> footer = new ArrayList<>(List.of(spec.usageMessage().footer()));
            footer.add("%nEnvironment:");
            environment.forEach(line -> footer.add(line.replace("%", "%%")));
            spec.usageMessage().footer(footer.toArray(String[]::new));
        }
    }

    /** {@code text} in lines of at most {@code width} characters, each starting with {@code indent}. */
    private static List<String> wrapped(String text, String indent, int width) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder(indent);
        for (String word : text.split(" ")) {
            if (line.length() > indent.length() && line.length() + 1 + word.length() > width) {
                lines.add(line.toString());
                line = new StringBuilder(indent);
            }
            line.append(line.length() > indent.length() ? " " : "").append(word);
        }
        lines.add(line.toString());
        return lines;
    }

    /**
     * Resolves this invocation of {@code spec}'s command (its flags, then the process environment, then the defaults)
     * and builds {@code from} it; a missing or bad value is refused as picocli refuses a bad flag: one line naming
     * it, exit 2. The exception's cause is the {@link ConfigException}, which says whether the value came from the
     * environment (a command may then leave out the usage picocli prints after a bad flag).
     */
    public <T> T build(CommandSpec spec, Function<Config, T> from) {
        try {
            return from.apply(resolve(spec.commandLine().getParseResult(), System.getenv()));
        } catch (ConfigException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
        }
    }

    /** Resolves every key from the parsed command line, then {@code env}, then its default. */
    public Config resolve(ParseResult parsed, Map<String, String> env) {
        Map<String, String> given = new LinkedHashMap<>();
        for (Key<?> k : keys.values()) {
            if (k.envOnly()) {
                continue;
            }
            if (k.oldFlag() != null && !parsed.hasMatchedOption(k.flag()) && parsed.hasMatchedOption(k.oldFlag())) {
                LOG.warning(() -> "note: " + k.oldFlag() + " is now called " + k.flag() + "; the old name still works");
                given.put(k.flag(), k.isSwitch() ? "true" : parsed.matchedOptionValue(k.oldFlag(), ""));
            }
            if (parsed.hasMatchedOption(k.flag())) {
                if (k.isSwitch()) {
                    given.put(k.flag(), "true");
                } else if (k.list()) {
                    List<String> values = parsed.matchedOptionValue(k.flag(), List.of());
                    given.put(k.flag(), String.join(",", values));
                } else {
                    given.put(k.flag(), parsed.matchedOptionValue(k.flag(), ""));
                }
            }
        }
        return resolve(given, env);
    }

    /**
     * Resolves every key from {@code given} (flag to text), then {@code env}, then its default.
     *
     * @throws ConfigException for the first key whose value is missing or not acceptable
     */
    public Config resolve(Map<String, String> given, Map<String, String> env) {
        Map<String, Object> values = new LinkedHashMap<>();
        Map<String, String> sources = new LinkedHashMap<>();
        for (Key<?> k : keys.values()) {
            String text = k.envOnly() ? null : given.get(k.flag());
            String source = k.name();
            if (text == null && k.env() != null && env.get(k.env()) != null && !env.get(k.env()).isBlank()) {
                text = env.get(k.env());
                source = k.env();
            }
            if (text == null && k.oldEnv() != null && env.get(k.oldEnv()) != null && !env.get(k.oldEnv()).isBlank()) {
                text = env.get(k.oldEnv());
                source = k.oldEnv();
                LOG.warning(() -> "note: the environment variable " + k.oldEnv() + " is now called " + k.env()
                        + "; the old name still works");
            }
            if (text == null) {
                text = k.defaultValue();
                source = "default";
            }
            if (text == null) {
                throw new ConfigException(k.name() + " is required: " + k.doc()
                        + (k.env() != null && !k.envOnly() ? " (or set " + k.env() + ")" : ""));
            }
            values.put(k.name(), parseChecked(k, text, source));
            sources.put(k.name(), source);
        }
        return new Config(this, values, sources);
    }

    private static <T> T parseChecked(Key<T> k, String text, String source) {
        String from = origin(k, source);
        // a secret is not repeated on the terminal, where the refusal is printed
        String value = k.secret() ? "the value" : "'" + text + "'";
        boolean fromEnvironment = !source.equals(k.flag()) && !source.equals("default");
        T v;
        try {
            v = k.parser().parse(text.strip());
        } catch (RuntimeException e) {
            throw new ConfigException(from + ": " + value + " is not valid: " + e.getMessage(), fromEnvironment);
        }
        if (!k.check().test(v)) {
            throw new ConfigException(from + ": " + value + " is not valid: " + k.checkMessage(), fromEnvironment);
        }
        return v;
    }

    /**
     * The setting's name, and where the value came from when that was not the name: {@code --bootstrap (from VAR)},
     * {@code --every (default)}; a key without a flag is named by its variable alone.
     */
    private static String origin(Key<?> k, String source) {
        if (source.equals(k.name())) {
            return k.name();
        }
        return k.name() + (source.equals("default") ? " (default)" : " (from " + source + ")");
    }

    static Boolean parseBoolean(String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "1", "on" -> true;
            case "false", "no", "0", "off" -> false;
            default -> throw new IllegalArgumentException("write true or false");
        };
    }

    /** The resolved values of a definition. */
    public static final class Config {

        private final ConfigDef def;
        private final Map<String, Object> values;
        private final Map<String, String> sources;

        Config(ConfigDef def, Map<String, Object> values, Map<String, String> sources) {
            this.def = def;
            this.values = values;
            this.sources = sources;
        }

        @SuppressWarnings("unchecked")
        public <T> T get(Key<T> key) {
            if (!values.containsKey(key.name())) {
                throw new IllegalArgumentException(key.name() + " is not a key of this configuration");
            }
            return (T) values.get(key.name());
        }

        /**
         * How the operator gave {@code key}, for messages about its value: the flag, with the environment variable
         * the value came from ({@code --bootstrap (from POSTFLEET_BOOTSTRAP)}) or {@code (default)} when not given.
         */
        public String named(Key<?> key) {
            get(key);
            return origin(key, sources.get(key.name()));
        }

        /** One line per key: flag (or variable), value (secrets masked) and where it came from. */
        public String describe() {
            int width = def.keys.keySet().stream().mapToInt(String::length).max().orElse(0);
            StringBuilder b = new StringBuilder();
            for (Key<?> k : def.keys.values()) {
                String source = sources.get(k.name());
                b.append(String.format("  %-" + width + "s  %s%s%n", k.name(), shown(k),
                        source.equals(k.name()) ? "" : "  (" + source + ")"));
            }
            return b.toString();
        }

        private <T> String shown(Key<T> k) {
            @SuppressWarnings("unchecked")
            T v = (T) values.get(k.name());
            String plain = String.valueOf(v);
            if (!k.secret() || v == null || plain.isEmpty()) {
                return plain;
            }
            return k.shown() == null ? "****" : k.shown().apply(v);
        }
    }
}
