package io.cnnscript;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The README's tour of the language runs as written. */
class DocsTest {

    static String firstCodeBlockAfter(String markdown, String heading) {
        int at = markdown.indexOf(heading);
        int start = markdown.indexOf("```\n", at) + 4;
        return markdown.substring(start, markdown.indexOf("```", start));
    }

    @Test
    void readmeTourRuns() {
        String tour = firstCodeBlockAfter(ScriptRunner.read(Path.of("README.md")), "## A tour of the language");
        ScriptRunner.Result r = ScriptRunner.run(tour, "README.md");
        assertNull(r.error(), () -> r.error().getMessage());
        assertTrue(r.out().startsWith("tensor([[ 0.,  1.,  0.,  0.,  0., -1.,  0.],"), r.out());
        assertTrue(r.out().contains("kernel 1 x 2\n"), r.out());
    }

    @Test
    void readmeFirstExampleRuns() {
        String intro = firstCodeBlockAfter(ScriptRunner.read(Path.of("README.md")), "# cnnscript");
        ScriptRunner.Result r = ScriptRunner.run(intro, "README.md");
        assertNull(r.error(), () -> r.error().getMessage());
        assertTrue(r.out().equals("tensor([[19., 25.],\n        [37., 43.]])\n"), r.out());
    }
}
