package io.postfleet.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as operators write them, for every command line of the project: {@code 100ms}, {@code 1s}, {@code 30s},
 * {@code 1.5s}, {@code 5m}, {@code 1h}, or ISO-8601 ({@code PT10M}).
 */
public final class DurationConverter implements ITypeConverter<Duration> {

    private static final Pattern SIMPLE = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h)");

    @Override
    public Duration convert(String value) {
        return parse(value);
    }

    public static Duration parse(String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        Matcher m = SIMPLE.matcher(v);
        if (m.matches()) {
            double n = Double.parseDouble(m.group(1));
            long millis = switch (m.group(2)) {
                case "ms" -> (long) n;
                case "s" -> (long) (n * 1000);
                case "m" -> (long) (n * 60_000);
                default -> (long) (n * 3_600_000);
            };
            return Duration.ofMillis(millis);
        }
        try {
            return Duration.parse(value.trim().toUpperCase(Locale.ROOT));
        } catch (RuntimeException e) {
            throw new TypeConversionException("'" + value + "' is not a duration: write e.g. 100ms, 1s, 30s, 5m or 1h");
        }
    }
}
