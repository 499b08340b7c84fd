package io.cnnscript.jupyter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * examples/notebooks/cnn-chapter.ipynb runs end to end under nbclient on the installed kernel:
 * the cells taken from each example script print exactly what the same cells print when run as
 * one .cnn script, every picture is a PNG, and the stored outputs are of the kinds a run makes.
 */
class NotebookTest {

    private static final Path NOTEBOOK = Path.of("examples/notebooks/cnn-chapter.ipynb");
    private static JsonObject stored;
    private static JsonObject executed;

    @BeforeAll
    static void execute(@TempDir Path tmp) throws Exception {
        assumeTrue(PythonJupyter.has("jupyter_client", "nbclient", "nbformat"), "needs python3-nbclient");
        Path work = Files.createDirectories(tmp.resolve("work"));
        Path out = tmp.resolve("executed.ipynb");
        PythonJupyter.run(tmp, "/jupyter/run_notebook.py", NOTEBOOK.toAbsolutePath().toString(), out.toString(),
                work.toString());
        stored = read(NOTEBOOK);
        executed = read(out);
    }

    private static JsonObject read(Path p) throws Exception {
        return JsonParser.parseString(Files.readString(p, StandardCharsets.UTF_8)).getAsJsonObject();
    }

    private static List<JsonObject> codeCells(JsonObject nb) {
        List<JsonObject> out = new ArrayList<>();
        for (JsonElement e : nb.getAsJsonArray("cells")) {
            if (e.getAsJsonObject().get("cell_type").getAsString().equals("code")) {
                out.add(e.getAsJsonObject());
            }
        }
        return out;
    }

    /** nbformat stores multi-line text either as one string or as a list of lines. */
    private static String text(JsonElement e) {
        if (e == null) {
            return "";
        }
        if (e.isJsonArray()) {
            StringBuilder sb = new StringBuilder();
            e.getAsJsonArray().forEach(x -> sb.append(x.getAsString()));
            return sb.toString();
        }
        return e.getAsString();
    }

    private static String script(JsonObject cell) {
        JsonElement s = cell.getAsJsonObject("metadata").get("script");
        return s == null ? null : s.getAsString();
    }

    /** Wall-clock figures differ from run to run. */
    private static String mask(String s) {
        return s.replaceAll("time \\d+(\\.\\d+)? sec", "time X sec").replaceAll("\\d+\\.\\d s$", "X s");
    }

    @Test
    void everyCellRunsWithoutAnError() {
        for (JsonObject cell : codeCells(executed)) {
            for (JsonElement o : cell.getAsJsonArray("outputs")) {
                assertTrue(!o.getAsJsonObject().get("output_type").getAsString().equals("error"),
                        text(cell.get("source")) + "\n" + o);
            }
        }
    }

    @Test
    void theScriptsCellsPrintWhatTheyPrintAsAScript() {
        Map<String, StringBuilder> code = new LinkedHashMap<>();
        Map<String, StringBuilder> printed = new LinkedHashMap<>();
        for (JsonObject cell : codeCells(executed)) {
            String script = script(cell);
            if (script == null) {
                continue;
            }
            code.computeIfAbsent(script, k -> new StringBuilder()).append(text(cell.get("source"))).append('\n');
            StringBuilder out = printed.computeIfAbsent(script, k -> new StringBuilder());
            for (JsonElement e : cell.getAsJsonArray("outputs")) {
                JsonObject o = e.getAsJsonObject();
                String type = o.get("output_type").getAsString();
                if (type.equals("stream")) {
                    out.append(text(o.get("text")));
                } else if (type.equals("execute_result")) {
                    out.append(text(o.getAsJsonObject("data").get("text/plain"))).append('\n');
                }
            }
        }
        assertEquals(List.of("examples/01-corr2d.cnn", "examples/02-edges.cnn", "examples/03-learn-kernel.cnn",
                "examples/04-padding-stride.cnn", "examples/05-channels.cnn", "examples/06-pooling.cnn",
                "examples/08-lenet-quick.cnn"), List.copyOf(code.keySet()));
        for (String script : code.keySet()) {
            // The same cells run as one .cnn script print the same text.
            io.cnnscript.ScriptRunner.Result r = io.cnnscript.ScriptRunner.run(code.get(script).toString(), script);
            assertNull(r.error(), () -> script + ": " + r.error().getMessage());
            assertEquals(mask(r.out()), mask(printed.get(script).toString()), script);
        }
    }

    @Test
    void picturesAreDecodablePngs() throws Exception {
        int pictures = 0;
        for (JsonObject cell : codeCells(executed)) {
            for (JsonElement e : cell.getAsJsonArray("outputs")) {
                JsonObject data = e.getAsJsonObject().getAsJsonObject("data");
                if (data != null && data.has("image/png")) {
                    byte[] png = Base64.getMimeDecoder().decode(text(data.get("image/png")));
                    BufferedImage img = ImageIO.read(new ByteArrayInputStream(png));
                    assertNotNull(img, text(cell.get("source")));
                    assertTrue(img.getWidth() > 20 && img.getHeight() > 20, text(cell.get("source")));
                    pictures++;
                }
            }
        }
        assertEquals(8, pictures);
    }

    /**
     * The stored outputs have the kinds and pictures a run makes now. Their text is not compared:
     * the examples' golden tests pin printed text, and a change of format there should not also
     * need the notebook rebuilt to pass (build.py refreshes it).
     */
    @Test
    void theStoredOutputsAreTheOnesTheNotebookMakes() {
        List<JsonObject> before = codeCells(stored);
        List<JsonObject> after = codeCells(executed);
        assertEquals(before.size(), after.size());
        for (int i = 0; i < before.size(); i++) {
            assertEquals(outputs(before.get(i)), outputs(after.get(i)),
                    "stored outputs are stale (rebuild with examples/notebooks/build.py): " + text(before.get(i).get("source")));
        }
    }

    /** A cell's outputs by kind, in order: text runs, results, and pictures with their descriptions. */
    private static List<String> outputs(JsonObject cell) {
        List<String> out = new ArrayList<>();
        StringBuilder stream = new StringBuilder();
        for (JsonElement e : cell.getAsJsonArray("outputs")) {
            JsonObject o = e.getAsJsonObject();
            String type = o.get("output_type").getAsString();
            if (type.equals("stream")) {
                stream.append(text(o.get("text")));
                continue;
            }
            if (stream.length() > 0) {
                out.add("stream");
                stream.setLength(0);
            }
            JsonObject data = o.getAsJsonObject("data");
            out.add(type + (data.has("image/png") ? " png " + text(data.get("text/plain")) : ""));
        }
        if (stream.length() > 0) {
            out.add("stream");
        }
        return out;
    }
}
