package io.postfleet.e2e.compose;

import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The repository's compose files, read as docker compose reads them (variables at their defaults). */
final class ComposeFiles {

    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Z0-9_]+):-([^}]*)}");

    private ComposeFiles() {
    }

    /** The repository root: the first folder above the working directory that holds the compose file. */
    static Path root() {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            if (Files.exists(d.resolve("docker-compose.yml")) && Files.exists(d.resolve("Dockerfile"))) {
                return d;
            }
        }
        throw new IllegalStateException("docker-compose.yml not found above " + Path.of("").toAbsolutePath());
    }

    /** A YAML file of the repository as maps and lists. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> load(String relative) throws IOException {
        try (Reader r = Files.newBufferedReader(root().resolve(relative))) {
            return (Map<String, Object>) new Yaml().load(r);
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Map<String, Object>> services(Map<String, Object> compose) {
        return (Map<String, Map<String, Object>>) compose.get("services");
    }

    /** A service's command as a list, every {@code ${VAR:-default}} replaced by its default. */
    @SuppressWarnings("unchecked")
    static List<String> command(Map<String, Object> service) {
        List<String> out = new ArrayList<>();
        for (String word : (List<String>) service.get("command")) {
            out.add(withDefaults(word));
        }
        return out;
    }

    static String withDefaults(String s) {
        Matcher m = VARIABLE.matcher(s);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(sb, Matcher.quoteReplacement(m.group(2)));
        }
        m.appendTail(sb);
        return sb.toString();
    }
}
