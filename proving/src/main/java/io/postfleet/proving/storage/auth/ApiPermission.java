package io.postfleet.proving.storage.auth;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Lotus's API permissions, in order: each includes the ones before it when a token is made ({@code auth create-token
 * --perm sign} grants read, write and sign), and a token allowing {@code admin} may do everything.
 */
public enum ApiPermission {
    READ, WRITE, SIGN, ADMIN;

    /** The name in tokens and on the command line: {@code read}, {@code write}, {@code sign}, {@code admin}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** This permission and every one before it, as Lotus grants them. */
    public List<ApiPermission> upTo() {
        return List.of(values()).subList(0, ordinal() + 1);
    }

    /**
     * Parses {@code read}, {@code write}, {@code sign} or {@code admin}.
     *
     * @throws IllegalArgumentException naming the accepted values
     */
    public static ApiPermission parse(String text) {
        for (ApiPermission p : values()) {
            if (p.wireName().equals(text == null ? "" : text.strip())) {
                return p;
            }
        }
        throw new IllegalArgumentException("'" + text + "' is not a permission; use one of " + names());
    }

    public static String names() {
        return Arrays.stream(values()).map(ApiPermission::wireName).collect(Collectors.joining(", "));
    }
}
