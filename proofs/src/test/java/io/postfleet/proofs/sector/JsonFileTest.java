package io.postfleet.proofs.sector;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** A hand-edited JSON file that is not JSON: one line saying where and what, as the editor shows the file. */
class JsonFileTest {

    @TempDir
    Path dir;

    /** The file's text ({@code |} for a line break) and what the error says after the file's name. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', quoteCharacter = '`', ignoreLeadingAndTrailingWhitespace = false, value = {
            "{|  \"a\": 1|  \"b\": 2|};"
                    + " line 3, column 3: unexpected character '\"': was expecting comma to separate Object entries",
            "{\"a\": tru};"
                    + " line 1, column 7: unrecognized token 'tru': was expecting (JSON String, Number, Array, Object"
                    + " or token 'null', 'true' or 'false')",
            "{\"a\":|  nul|};"
                    + " line 2, column 3: unrecognized token 'nul': was expecting (JSON String, Number, Array, Object"
                    + " or token 'null', 'true' or 'false')",
            "{\"sectors\": [{\"id\": 1},; line 1, column 24: unexpected end-of-input within/between Array entries",
            "{\"sectors\": [;"
                    + " line 1, column 14: unexpected end-of-input: expected close marker for Array (start marker at"
                    + " line 1, column 13)",
            "{\"a\": 1]; line 1, column 8: unexpected close marker ']': expected '}' (for Object starting at line 1,"
                    + " column 1)",
            "{\"a\": \"x|y\"}; line 1, column 9: illegal unquoted character (a line break): has to be escaped using"
                    + " backslash to be included in string value",
            "{'a': 1}; line 1, column 2: unexpected character ''': was expecting double-quote to start field name",
            "{\"nom\": \"été\" \"x\": 1}; line 1, column 15: unexpected character '\"': was expecting comma to separate"
                    + " Object entries",
    })
    void aSyntaxErrorIsOneLineWithTheLineTheColumnAndWhatWasFound(String text, String error) throws IOException {
        Path f = dir.resolve("f.json");
        Files.writeString(f, text.replace('|', '\n'), StandardCharsets.UTF_8);
        IOException e = assertThrows(IOException.class, () -> JsonFile.read(f));
        assertEquals(f + error, e.getMessage());
        assertFalse(e.getMessage().contains("Source"), e.getMessage());
        assertFalse(e.getMessage().contains("REDACTED"), e.getMessage());
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
    }

    @Test
    void aByteOrderMarkIsNoError() throws IOException {
        Path f = dir.resolve("f.json");
        Files.writeString(f, "\uFEFF{\"a\": 1}", StandardCharsets.UTF_8);
        assertEquals(1, JsonFile.read(f).get("a").asInt());
    }

    @Test
    void anEmptyFileOrOneThatIsNotUtf8IsSaidSo() throws IOException {
        Path empty = dir.resolve("empty.json");
        Files.writeString(empty, "\n");
        assertEquals(empty + ": the file is empty, not JSON",
                assertThrows(IOException.class, () -> JsonFile.read(empty)).getMessage());
        Path latin1 = dir.resolve("latin1.json");
        Files.write(latin1, "{\"a\": \"\u00e9\"}".getBytes(StandardCharsets.ISO_8859_1));
        assertEquals(latin1 + ": not UTF-8 text, so not JSON",
                assertThrows(IOException.class, () -> JsonFile.read(latin1)).getMessage());
    }
}
