package io.cnnscript;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every example runs and prints exactly its golden output in src/test/resources/golden
 * (outputs checked against the notebook and PyTorch; timings are masked).
 */
class ExamplesTest {

    /** Each example and the golden file its output must equal. */
    static final List<String> EXAMPLES = List.of(
            "01-corr2d.cnn",
            "02-edges.cnn",
            "03-learn-kernel.cnn",
            "04-padding-stride.cnn",
            "05-channels.cnn",
            "06-pooling.cnn",
            "09-lenet-class.cnn",
            "10-resnet.cnn",
            "11-inception.cnn");

    @TestFactory
    Stream<DynamicTest> examplesPrintTheirGoldenOutput() {
        return EXAMPLES.stream().map(name -> DynamicTest.dynamicTest(name, () -> {
            Path script = Path.of("examples", name);
            ScriptRunner.Result r = ScriptRunner.runFile(script);
            assertNull(r.error(), () -> "error: " + r.error().getMessage());
            String expected = ScriptRunner.read(Path.of("src/test/resources/golden", name.replace(".cnn", ".out")));
            assertEquals(expected, mask(r.out()));
        }));
    }

    /** Wall-clock figures differ from run to run. */
    static String mask(String out) {
        return out.replaceAll("time \\d+(\\.\\d+)? sec", "time X sec");
    }

    @Test
    void everyExampleHasAGoldenTest() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("examples"))) {
            List<String> scripts = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".cnn")).sorted()
                    .toList();
            for (String s : scripts) {
                if (!EXAMPLES.contains(s) && !LongExamples.NAMES.contains(s)) {
                    throw new AssertionError(s + " has no golden test: add it to ExamplesTest.EXAMPLES");
                }
            }
        }
    }

    /**
     * Examples checked elsewhere: 08-lenet-quick.cnn by io.cnnscript.nn.TrainingTest (golden, with
     * timings masked) and 07-lenet.cnn, ten epochs on the full data, by LenetExampleTest.
     */
    static final class LongExamples {
        static final List<String> NAMES = List.of("07-lenet.cnn", "08-lenet-quick.cnn");
    }
}
