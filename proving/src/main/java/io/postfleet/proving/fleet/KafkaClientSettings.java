package io.postfleet.proving.fleet;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.postfleet.cli.ConfigDef;
import io.postfleet.cli.ConfigException;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.SaslConfigs;

/**
 * The Kafka client settings of a process (security above all: {@code security.protocol}, {@code sasl.*},
 * {@code ssl.*}), given to every Kafka client it makes, as Kafka's own tools take them. They come from three places,
 * each overriding the one before:
 * <ol>
 *   <li>a client properties file, {@link FleetKeys#KAFKA_CONFIG} ({@code --kafka-config FILE}, or
 *   {@code POSTFLEET_KAFKA_CONFIG}), the file {@code kafka-console-consumer --consumer.config} and
 *   {@code kafka-topics --command-config} read;</li>
 *   <li>environment variables {@code POSTFLEET_KAFKA_<NAME>}, one per setting, named as the apache/kafka image names
 *   its {@code KAFKA_} variables: the setting's name in capitals with each {@code .} written {@code _}, each
 *   {@code _} written {@code __} and each {@code -} written {@code ___} ({@code sasl.jaas.config} is
 *   {@code POSTFLEET_KAFKA_SASL_JAAS_CONFIG}); only names Kafka's clients know are taken from the environment, so
 *   a mistyped variable is refused rather than ignored;</li>
 *   <li>{@link FleetKeys#KAFKA_PROPERTY} ({@code --kafka-property KEY=VALUE}, repeatable).</li>
 * </ol>
 * {@code bootstrap.servers}, {@code client.id} and {@code group.id} are each process's own ({@code --bootstrap}, its
 * client ids, {@code --group}) and are not taken from here; what a client needs to work as the fleet expects
 * (serializers, acknowledgements, idempotence, the group protocol) is set by the client over these. Secrets (every
 * setting Kafka types as a password, and {@code sasl.jaas.config}) are masked when printed.
 */
public final class KafkaClientSettings {

    /** The prefix of the environment variables that carry one Kafka client setting each. */
    public static final String ENV_PREFIX = "POSTFLEET_KAFKA_";

    /** Settings each process sets itself, from its own flags. */
    static final List<String> OWN = List.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG,
            CommonClientConfigs.CLIENT_ID_CONFIG, CommonClientConfigs.GROUP_ID_CONFIG);

    private static final Set<String> KNOWN = known();
    private static final Set<String> PASSWORDS = passwords();
    private static final Pattern SECRET_NAME = Pattern.compile(".*(password|secret|jaas).*");
    private static final Pattern USERNAME = Pattern.compile("username\\s*=\\s*\"([^\"]*)\"");
    private static final Pattern UNDERSCORES = Pattern.compile("_+|[^_]+");

    /** One setting, and where it came from as the operator would name it ({@code --kafka-config FILE}, ...). */
    public record Setting(String name, String value, String source) {

        /** The value as printed: {@code ****} for a secret. */
        public String shown() {
            return secret(name) && !value.isEmpty() ? "****" : value;
        }
    }

    private final Map<String, Setting> settings;
    private final List<String> notes;

    private KafkaClientSettings(Map<String, Setting> settings, List<String> notes) {
        this.settings = Collections.unmodifiableMap(new LinkedHashMap<>(settings));
        this.notes = List.copyOf(notes);
    }

    /** No settings: a PLAINTEXT broker that lets anyone in. */
    public static KafkaClientSettings none() {
        return new KafkaClientSettings(Map.of(), List.of());
    }

    /** Settings given in code (tests, the benchmark), named {@code source} in messages. */
    public static KafkaClientSettings of(Map<String, String> values, String source) {
        Map<String, Setting> m = new TreeMap<>();
        values.forEach((k, v) -> m.put(k, new Setting(k, v, source)));
        return new KafkaClientSettings(m, List.of());
    }

    /**
     * The settings of a process: the file {@link FleetKeys#KAFKA_CONFIG} names, then the {@code POSTFLEET_KAFKA_*}
     * variables of {@code env}, then {@link FleetKeys#KAFKA_PROPERTY}.
     *
     * @throws ConfigException naming the file that does not exist or does not parse, or the variable that names no
     *                         Kafka client setting
     */
    public static KafkaClientSettings resolve(ConfigDef.Config c, Map<String, String> env) {
        String file = c.get(FleetKeys.KAFKA_CONFIG);
        String fileNamed = c.named(FleetKeys.KAFKA_CONFIG);
        return resolve(file.isBlank() ? null : Path.of(file), fileNamed, env, c.get(FleetKeys.KAFKA_PROPERTY));
    }

    /**
     * As {@link #resolve(ConfigDef.Config, Map)}, from the values themselves.
     *
     * @param file       the client properties file, or null
     * @param fileNamed  how the operator gave the file, e.g. {@code --kafka-config (from POSTFLEET_KAFKA_CONFIG)}
     * @param properties {@code KEY=VALUE} texts of {@code --kafka-property}
     */
    public static KafkaClientSettings resolve(Path file, String fileNamed, Map<String, String> env,
                                              List<String> properties) {
        Map<String, Setting> m = new TreeMap<>();
        List<String> notes = new ArrayList<>();
        boolean fileFromEnv = !fileNamed.equals(FleetKeys.KAFKA_CONFIG.flag());
        if (file != null) {
            String from = fileNamed + " " + file;
            for (Map.Entry<String, String> e : read(file, from, fileFromEnv).entrySet()) {
                m.put(e.getKey(), new Setting(e.getKey(), e.getValue(), FleetKeys.KAFKA_CONFIG.flag() + " " + file));
            }
        }
        for (Map.Entry<String, String> e : new TreeMap<>(env).entrySet()) {
            String variable = e.getKey();
            if (!variable.startsWith(ENV_PREFIX) || variable.equals(FleetKeys.KAFKA_CONFIG.env())) {
                continue;
            }
            String name = settingOf(variable);
            if (name == null || !KNOWN.contains(name)) {
                throw new ConfigException(variable + ": " + (name == null ? "is not a setting name"
                        : name + " is not a Kafka client setting") + "; a " + ENV_PREFIX + "* variable carries one "
                        + "Kafka client setting (sasl.jaas.config is " + variableOf(SaslConfigs.SASL_JAAS_CONFIG)
                        + "): fix its name, unset it, or put the setting in the " + FleetKeys.KAFKA_CONFIG.flag()
                        + " file", true);
            }
            m.put(name, new Setting(name, e.getValue(), variable));
        }
        for (String kv : properties) {
            int eq = kv.indexOf('=');
            String name = kv.substring(0, eq).strip();
            m.put(name, new Setting(name, kv.substring(eq + 1).strip(), FleetKeys.KAFKA_PROPERTY.flag()));
        }
        for (String own : OWN) {
            Setting s = m.remove(own);
            if (s != null) {
                notes.add(own + " from " + s.source() + " is not used: " + ownedBy(own));
            }
        }
        return new KafkaClientSettings(m, notes);
    }

    private static String ownedBy(String name) {
        return switch (name) {
            case CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG -> FleetKeys.BOOTSTRAP.flag() + " is";
            case CommonClientConfigs.GROUP_ID_CONFIG -> "workers take --group, the miner reads without a group";
            default -> "each client has its own id";
        };
    }

    /** A client properties file, as Kafka's tools read it (java.util.Properties syntax, UTF-8). */
    private static Map<String, String> read(Path file, String from, boolean fromEnv) {
        String what = "; give a Kafka client properties file, as kafka-console-consumer --consumer.config takes";
        if (!Files.exists(file)) {
            throw new ConfigException(from + ": does not exist" + what, fromEnv);
        }
        if (!Files.isRegularFile(file)) {
            throw new ConfigException(from + ": is not a file" + what, fromEnv);
        }
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException e) {
            throw new ConfigException(from + ": cannot be read (" + e.getMessage() + ")" + what, fromEnv);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(from + ": does not parse as a properties file (" + e.getMessage() + ")" + what,
                    fromEnv);
        }
        Map<String, String> m = new TreeMap<>();
        p.stringPropertyNames().forEach(k -> m.put(k.strip(), p.getProperty(k).strip()));
        return m;
    }

    /**
     * The setting a {@code POSTFLEET_KAFKA_*} variable carries: {@code _} is {@code .}, {@code __} is {@code _},
     * {@code ___} is {@code -}; null when the rest of the name cannot be one (four underscores in a row, a leading or
     * trailing one).
     */
    static String settingOf(String variable) {
        String rest = variable.substring(ENV_PREFIX.length());
        if (rest.isEmpty() || rest.startsWith("_") || rest.endsWith("_")) {
            return null;
        }
        StringBuilder b = new StringBuilder();
        Matcher runs = UNDERSCORES.matcher(rest);
        while (runs.find()) {
            String part = runs.group();
            if (part.charAt(0) != '_') {
                b.append(part.toLowerCase(Locale.ROOT));
            } else {
                switch (part.length()) {
                    case 1 -> b.append('.');
                    case 2 -> b.append('_');
                    case 3 -> b.append('-');
                    default -> {
                        return null;
                    }
                }
            }
        }
        return b.toString();
    }

    /** The variable that carries {@code setting}: {@code sasl.jaas.config} is POSTFLEET_KAFKA_SASL_JAAS_CONFIG. */
    public static String variableOf(String setting) {
        StringBuilder b = new StringBuilder(ENV_PREFIX);
        for (char ch : setting.toCharArray()) {
            b.append(switch (ch) {
                case '.' -> "_";
                case '_' -> "__";
                case '-' -> "___";
                default -> String.valueOf(Character.toUpperCase(ch));
            });
        }
        return b.toString();
    }

    /** Whether {@code name}'s value is masked when printed. */
    public static boolean secret(String name) {
        return PASSWORDS.contains(name) || SECRET_NAME.matcher(name.toLowerCase(Locale.ROOT)).matches();
    }

    /** The settings, for a client to start from; a fresh copy the client may add its own to. */
    public Properties properties() {
        Properties p = new Properties();
        settings.values().forEach(s -> p.put(s.name(), s.value()));
        return p;
    }

    /** The settings as a map, name to value. */
    public Map<String, String> values() {
        Map<String, String> m = new LinkedHashMap<>();
        settings.values().forEach(s -> m.put(s.name(), s.value()));
        return m;
    }

    /** {@code name}'s value, or {@code otherwise} when it is not set. */
    public String value(String name, String otherwise) {
        Setting s = settings.get(name);
        return s == null ? otherwise : s.value();
    }

    /** Where {@code name} came from, e.g. {@code --kafka-config /etc/postfleet/worker.properties}; null when unset. */
    public String source(String name) {
        Setting s = settings.get(name);
        return s == null ? null : s.source();
    }

    /** {@code name (source)} for messages, or {@code name (not set)}. */
    public String named(String name) {
        Setting s = settings.get(name);
        return name + " (" + (s == null ? "not set" : s.source()) + ")";
    }

    /** The user name in {@code sasl.jaas.config}, or null when there is none. */
    public String saslUser() {
        Matcher m = USERNAME.matcher(value(SaslConfigs.SASL_JAAS_CONFIG, ""));
        return m.find() ? m.group(1) : null;
    }

    /** What the start-up print says about a setting that is not used (a {@code bootstrap.servers} in the file). */
    public List<String> notes() {
        return notes;
    }

    /** One line per setting for the start-up print: {@code   kafka NAME  VALUE  (SOURCE)}, secrets masked. */
    public String describe() {
        int width = settings.keySet().stream().mapToInt(String::length).max().orElse(0);
        StringBuilder b = new StringBuilder();
        for (Setting s : settings.values()) {
            b.append(String.format("  kafka %-" + width + "s  %s  (%s)%n", s.name(), s.shown(), s.source()));
        }
        for (String note : notes) {
            b.append("  kafka note: ").append(note).append(System.lineSeparator());
        }
        return b.toString();
    }

    /**
     * The {@code KEY=VALUE} texts of repeated {@code --kafka-property} flags, which the command line hands over
     * joined by commas: a piece without {@code =} belongs to the value before it
     * ({@code ssl.enabled.protocols=TLSv1.2,TLSv1.3} is one setting).
     */
    static List<String> properties(String joined) {
        List<String> out = new ArrayList<>();
        if (joined.isBlank()) {
            return out;
        }
        for (String piece : joined.split(",", -1)) {
            if (piece.indexOf('=') > 0 || out.isEmpty()) {
                out.add(piece.strip());
            } else {
                out.set(out.size() - 1, out.get(out.size() - 1) + "," + piece);
            }
        }
        return out;
    }

    /** {@code KEY=VALUE} with the value masked when the key is a secret's, for the start-up print of the flag. */
    public static String shownProperty(String kv) {
        int eq = kv.indexOf('=');
        return eq > 0 && secret(kv.substring(0, eq).strip()) ? kv.substring(0, eq + 1) + "****" : kv;
    }

    @Override
    public String toString() {
        return settings.values().stream().map(s -> s.name() + "=" + s.shown()).toList().toString();
    }

    private static Set<String> known() {
        Set<String> names = new TreeSet<>();
        names.addAll(ProducerConfig.configNames());
        names.addAll(ConsumerConfig.configNames());
        names.addAll(AdminClientConfig.configNames());
        return Set.copyOf(names);
    }

    private static Set<String> passwords() {
        Set<String> names = new TreeSet<>();
        for (org.apache.kafka.common.config.ConfigDef def : List.of(ProducerConfig.configDef(),
                ConsumerConfig.configDef(), AdminClientConfig.configDef())) {
            def.configKeys().forEach((name, key) -> {
                if (key.type == Type.PASSWORD) {
                    names.add(name);
                }
            });
        }
        return Set.copyOf(names);
    }
}
