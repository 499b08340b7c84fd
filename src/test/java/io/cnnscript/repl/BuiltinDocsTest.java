package io.cnnscript.repl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cnnscript.interp.Interpreter;
import io.cnnscript.lib.Builtin;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** docs/BUILTINS.md must be what the built-ins' own docs generate. */
class BuiltinDocsTest {

    private static final Path FILE = Path.of("docs/BUILTINS.md");

    @Test
    void theCommittedPageIsUpToDate() throws Exception {
        String expected = BuiltinDocs.markdown();
        if (Boolean.getBoolean("cnn.regenerate")) {
            Files.createDirectories(FILE.getParent());
            Files.writeString(FILE, expected, StandardCharsets.UTF_8);
        }
        String actual = Files.exists(FILE) ? Files.readString(FILE, StandardCharsets.UTF_8) : "";
        assertEquals(expected, actual, "docs/BUILTINS.md is out of date with the built-ins' docs; regenerate it with: "
                + BuiltinDocs.REGENERATE);
    }

    @Test
    void everyDocumentedBuiltinIsOnThePage() {
        String page = BuiltinDocs.markdown();
        for (Builtin b : Interpreter.standardLibrary().documented()) {
            assertTrue(page.contains("`" + Help.title(b) + "`"), b.name());
        }
    }
}
