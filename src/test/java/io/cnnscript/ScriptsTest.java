package io.cnnscript;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs every script in src/test/resources/scripts and compares what it prints with the
 * {@code # expect: ...} comments beside the code, line by line and in order, or, for scripts
 * that print multi-line tensors, with the whole of the {@code .out} file beside the script
 * (checked against PyTorch's own printing).
 */
class ScriptsTest {

    private static final Pattern EXPECT = Pattern.compile("#\\s*expect: ?(.*)$");

    @TestFactory
    Stream<DynamicTest> scriptsPrintWhatTheirCommentsExpect() throws IOException {
        List<Path> scripts;
        try (Stream<Path> files = Files.list(Path.of("src/test/resources/scripts"))) {
            scripts = files.filter(p -> p.toString().endsWith(".cnn")).sorted().toList();
        }
        return scripts.stream().map(p -> DynamicTest.dynamicTest(p.getFileName().toString(), () -> {
            List<String> expected = new ArrayList<>();
            for (String line : ScriptRunner.read(p).split("\n")) {
                Matcher m = EXPECT.matcher(line);
                if (m.find()) {
                    expected.add(m.group(1));
                }
            }
            ScriptRunner.Result r = ScriptRunner.runFile(p);
            assertNull(r.error(), () -> "error: " + r.error().getMessage() + "\noutput so far:\n" + r.out());
            Path golden = Path.of(p.toString().replace(".cnn", ".out"));
            if (Files.exists(golden)) {
                assertEquals(ScriptRunner.read(golden), r.out());
            } else {
                assertEquals(String.join("\n", expected), r.out().stripTrailing());
            }
        }));
    }
}
