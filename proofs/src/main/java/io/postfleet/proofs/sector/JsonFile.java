package io.postfleet.proofs.sector;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a JSON file that an operator may have edited by hand (a manifest). A syntax error is one line naming the file,
 * the line and column (in characters, counted as an editor counts them) and what was found there, in Jackson's words
 * but without its {@code [Source: REDACTED ...]} locations: {@code storage/manifest.json line 3, column 10: unexpected
 * character '}': was expecting double-quote to start field name}.
 */
public final class JsonFile {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** {@code [Source: REDACTED (...); line: 1, column: 31]} inside Jackson's message, e.g. where an object began. */
    private static final Pattern SOURCE_AT = Pattern.compile("\\[Source: [^]]*?; line: (\\d+), column: (\\d+)]");
    private static final Pattern SOURCE = Pattern.compile(" ?\\[Source: [^]]*]");
    /** Jackson names a character as {@code ('}' (code 125))}; the character alone reads as the file shows it. */
    private static final Pattern CHAR = Pattern.compile("\\('(.+?)' \\(code [^)]*\\)\\)");
    private static final Pattern CONTROL_CHAR = Pattern.compile("\\(\\(CTRL-CHAR, code (\\d+)\\)\\)");
    private static final Pattern TOKEN = Pattern.compile("^unrecognized token '([^']+)'");

    private JsonFile() {
    }

    /**
     * The JSON of {@code file} (UTF-8).
     *
     * @throws IOException one line naming the file, and the line, column and what was found for a syntax error; a
     *                     missing file is a {@link NoSuchFileException} ({@code FILE: no such file})
     */
    public static JsonNode read(Path file) throws IOException {
        String text;
        try {
            text = Files.readString(file);
        } catch (CharacterCodingException e) {
            throw new IOException(file + ": not UTF-8 text, so not JSON");
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(file.toString(), null, "no such file");
        } catch (AccessDeniedException e) {
            throw new IOException(file + ": permission denied", e);
        }
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1); // a byte-order mark some editors write; the columns stay as the editor shows them
        }
        if (text.isBlank()) {
            throw new IOException(file + ": the file is empty, not JSON");
        }
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            // no cause attached: the message says all of it, and Jackson's own would print the REDACTED source again
            throw new IOException(syntaxError(file, text, e));
        }
    }

    /** {@code FILE line L, column C: what was found}. */
    static String syntaxError(Path file, String text, JsonProcessingException e) {
        String what = e.getOriginalMessage();
        what = SOURCE_AT.matcher(what).replaceAll("line $1, column $2");
        what = SOURCE.matcher(what).replaceAll("");
        what = CHAR.matcher(what).replaceAll(m -> Matcher.quoteReplacement("'" + m.group(1) + "'"));
        what = CONTROL_CHAR.matcher(what).replaceAll(m -> "(" + controlChar(Integer.parseInt(m.group(1))) + ")");
        what = what.isEmpty() ? what : Character.toLowerCase(what.charAt(0)) + what.substring(1);
        JsonLocation at = e.getLocation();
        if (at == null || at.getLineNr() < 1) {
            return file + ": " + what;
        }
        int column = at.getColumnNr();
        Matcher token = TOKEN.matcher(what);
        if (token.find()) {
            column = tokenStart(text, at.getLineNr(), column, token.group(1));
        }
        return file + " line " + at.getLineNr() + ", column " + column + ": " + what;
    }

    /** Jackson places a wrong word after its end; the user looks for its first letter. */
    private static int tokenStart(String text, int line, int column, String token) {
        String[] lines = text.split("\r?\n|\r", -1);
        if (line > lines.length) {
            return column;
        }
        int start = lines[line - 1].lastIndexOf(token, Math.max(0, column - 1));
        return start < 0 ? column : start + 1;
    }

    private static String controlChar(int code) {
        return switch (code) {
            case '\n' -> "a line break";
            case '\r' -> "a carriage return";
            case '\t' -> "a tab";
            default -> "a control character (code " + code + ")";
        };
    }
}
