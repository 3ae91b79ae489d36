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
 * from and what is expected.
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
     */
    public record Key<T>(String flag, String env, String label, String defaultValue, String doc, boolean list,
                         boolean secret, Parser<T> parser, Predicate<T> check, String checkMessage, String oldFlag,
                         String oldEnv) {

        /** The same key, refusing values {@code ok} does not accept, with {@code message} saying what is expected. */
        public Key<T> must(Predicate<T> ok, String message) {
            return new Key<>(flag, env, label, defaultValue, doc, list, secret, parser, ok, message, oldFlag, oldEnv);
        }

        public Key<T> masked() {
            return new Key<>(flag, env, label, defaultValue, doc, list, true, parser, check, checkMessage, oldFlag,
                    oldEnv);
        }

        /** The same key, also read under its former flag and variable names, each use noted on stderr. */
        public Key<T> formerly(String flag, String env) {
            return new Key<>(this.flag, this.env, label, defaultValue, doc, list, secret, parser, check, checkMessage,
                    flag, env);
        }

        /** A single-valued setting; {@code defaultValue} null makes it required. */
        public static <T> Key<T> of(String flag, String env, String label, String defaultValue, String doc,
                                    Parser<T> parser) {
            return new Key<>(flag, env, label, defaultValue, doc, false, false, parser, v -> true, null, null, null);
        }

        /** A text setting. */
        public static Key<String> text(String flag, String env, String label, String defaultValue, String doc) {
            return of(flag, env, label, defaultValue, doc, t -> t);
        }

        /** A repeatable setting, empty unless given; its environment variable holds the values separated by commas. */
        public static <T> Key<List<T>> list(String flag, String env, String label, String doc, Parser<T> parser) {
            Parser<List<T>> each = text -> text.isBlank() ? List.of()
                    : Arrays.stream(text.split(",")).map(String::strip).map(parser::parse).toList();
            return new Key<>(flag, env, label, "", doc, true, false, each, v -> true, null, null, null);
        }

        /** An on/off switch, off unless given. */
        public static Key<Boolean> onOff(String flag, String env, String doc) {
            return new Key<>(flag, env, null, "false", doc, false, false, ConfigDef::parseBoolean, v -> true, null,
                    null, null);
        }

        boolean isSwitch() {
            return label == null;
        }
    }

    /** @param keys every setting of the process, in the order usage and the start-up print list them */
    public ConfigDef(List<Key<?>> keys) {
        for (Key<?> k : keys) {
            if (this.keys.put(k.flag(), k) != null) {
                throw new IllegalArgumentException(k.flag() + " is defined twice");
            }
        }
    }

    public List<Key<?>> keys() {
        return List.copyOf(keys.values());
    }

    /** Adds one option per key to {@code spec}, with its doc, variable and default in the description. */
    public void addTo(CommandSpec spec) {
        for (Key<?> k : keys.values()) {
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
    }

    /**
     * Resolves this invocation of {@code spec}'s command (its flags, then the process environment, then the defaults)
     * and builds {@code from} it; a missing or bad value is refused as picocli refuses a bad flag: one line naming
     * it, exit 2.
     */
    public <T> T build(CommandSpec spec, Function<Config, T> from) {
        try {
            return from.apply(resolve(spec.commandLine().getParseResult(), System.getenv()));
        } catch (ConfigException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    /** Resolves every key from the parsed command line, then {@code env}, then its default. */
    public Config resolve(ParseResult parsed, Map<String, String> env) {
        Map<String, String> given = new LinkedHashMap<>();
        for (Key<?> k : keys.values()) {
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
            String text = given.get(k.flag());
            String source = k.flag();
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
                throw new ConfigException(k.flag() + " is required: " + k.doc()
                        + (k.env() != null ? " (or set " + k.env() + ")" : ""));
            }
            values.put(k.flag(), parseChecked(k, text, source));
            sources.put(k.flag(), source);
        }
        return new Config(this, values, sources);
    }

    private static <T> T parseChecked(Key<T> k, String text, String source) {
        String from = origin(k, source);
        T v;
        try {
            v = k.parser().parse(text.strip());
        } catch (RuntimeException e) {
            throw new ConfigException(from + ": '" + text + "' is not valid: " + e.getMessage());
        }
        if (!k.check().test(v)) {
            throw new ConfigException(from + ": '" + text + "' is not valid: " + k.checkMessage());
        }
        return v;
    }

    /** The flag, and where the value came from when that was not the flag: {@code --bootstrap (from VAR)}. */
    private static String origin(Key<?> k, String source) {
        if (source.equals(k.flag())) {
            return k.flag();
        }
        return k.flag() + (source.equals("default") ? " (default)" : " (from " + source + ")");
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
            if (!values.containsKey(key.flag())) {
                throw new IllegalArgumentException(key.flag() + " is not a key of this configuration");
            }
            return (T) values.get(key.flag());
        }

        /**
         * How the operator gave {@code key}, for messages about its value: the flag, with the environment variable
         * the value came from ({@code --bootstrap (from POSTFLEET_BOOTSTRAP)}) or {@code (default)} when not given.
         */
        public String named(Key<?> key) {
            get(key);
            return origin(key, sources.get(key.flag()));
        }

        /** One line per key: flag, value (secrets masked) and where it came from. */
        public String describe() {
            int width = def.keys.keySet().stream().mapToInt(String::length).max().orElse(0);
            StringBuilder b = new StringBuilder();
            for (Key<?> k : def.keys.values()) {
                Object v = values.get(k.flag());
                String shown = k.secret() && v != null && !String.valueOf(v).isEmpty() ? "****" : String.valueOf(v);
                String source = sources.get(k.flag());
                b.append(String.format("  %-" + width + "s  %s%s%n", k.flag(), shown,
                        source.equals(k.flag()) ? "" : "  (" + source + ")"));
            }
            return b.toString();
        }
    }
}
