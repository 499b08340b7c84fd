package io.cnnscript.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * examples/embedding/ is a Java program that embeds cnnscript: the suite compiles it against
 * the project's classpath, runs it, and compares its output with expected-output.txt.
 */
class EmbeddingExampleTest {

    private static final Path EXAMPLE = Path.of("examples/embedding");

    @Test
    void theEmbeddingExampleBuildsAndRuns(@TempDir Path classes) throws Exception {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertNotNull(javac, "the tests need a JDK (javax.tools compiler)");
        int status = javac.run(null, null, null, "-d", classes.toString(), "-cp", classpath,
                EXAMPLE.resolve("StripeClassifier.java").toString());
        assertEquals(0, status, "the example does not compile");

        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(List.of(java, "-Dai.djl.offline=true",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=error", "-cp", classes + File.pathSeparator + classpath,
                "StripeClassifier", EXAMPLE.toString()))
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the example did not finish");
        assertEquals(0, p.exitValue(), out);
        assertEquals(Files.readString(EXAMPLE.resolve("expected-output.txt"), StandardCharsets.UTF_8), out);
    }
}
