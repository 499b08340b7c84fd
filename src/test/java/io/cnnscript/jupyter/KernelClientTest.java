package io.cnnscript.jupyter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kernel driven by a real front end: jupyter_client's KernelManager starts it from the
 * installed kernelspec and speaks the protocol to it (src/test/resources/jupyter/drive_kernel.py).
 */
class KernelClientTest {

    private static JsonObject seen;

    @BeforeAll
    static void drive(@TempDir Path tmp) throws Exception {
        assumeTrue(PythonJupyter.has("jupyter_client"), "needs python3-jupyter-client");
        seen = PythonJupyter.run(tmp, "/jupyter/drive_kernel.py", tmp.resolve("kernel.log").toString());
    }

    /** A run's IOPub messages in short: "busy", "input 1", "stdout TEXT", "result 1 TEXT", "error TEXT", "idle". */
    private static List<String> transcript(String run) {
        List<String> out = new ArrayList<>();
        for (JsonElement e : seen.getAsJsonObject(run).getAsJsonArray("iopub")) {
            JsonArray m = e.getAsJsonArray();
            String type = m.get(0).getAsString();
            switch (type) {
                case "status" -> out.add(m.get(1).getAsString());
                case "execute_input" -> out.add("input " + m.get(1).getAsJsonObject().get("execution_count"));
                case "stream" -> out.add(m.get(1).getAsJsonObject().get("name").getAsString() + " "
                        + m.get(1).getAsJsonObject().get("text").getAsString());
                case "execute_result" -> out.add("result " + m.get(1).getAsJsonObject().get("execution_count") + " "
                        + m.get(1).getAsJsonObject().getAsJsonObject("data").get("text/plain").getAsString());
                case "error" -> out.add("error " + String.join("\n",
                        strings(m.get(1).getAsJsonObject().getAsJsonArray("traceback"))));
                default -> out.add(type);
            }
        }
        return out;
    }

    private static List<String> strings(JsonArray a) {
        List<String> out = new ArrayList<>();
        a.forEach(e -> out.add(e.getAsString()));
        return out;
    }

    private static JsonObject reply(String run) {
        return seen.getAsJsonObject(run).getAsJsonObject("reply");
    }

    @Test
    void kernelInfoDescribesCnnscript() {
        JsonObject info = seen.getAsJsonObject("kernel_info");
        assertEquals("5.3", info.get("protocol_version").getAsString());
        JsonObject lang = info.getAsJsonObject("language_info");
        assertEquals("cnnscript", lang.get("name").getAsString());
        assertEquals(".cnn", lang.get("file_extension").getAsString());
        assertTrue(info.get("banner").getAsString().startsWith("cnnscript "));
        assertTrue(info.getAsJsonArray("help_links").size() >= 2, info.toString());
    }

    @Test
    void printGoesToTheStreamAndTheLastValueIsTheResult() {
        assertEquals(List.of("busy", "input 1", "stdout tensor(36)\n",
                "result 1 tensor([[ 0,  2,  4],\n        [ 6,  8, 10],\n        [12, 14, 16]])", "idle"),
                transcript("first"));
        assertEquals("ok", reply("first").get("status").getAsString());
        assertEquals(1, reply("first").get("execution_count").getAsInt());
    }

    @Test
    void anErrorIsLocatedWithoutAJavaTraceAndTheNextCellRuns() {
        String error = "<cell 2>:1:9: 'undefined_name' is not defined\n    y = X + undefined_name\n            ^";
        assertEquals(List.of("busy", "input 2", "error " + error, "idle"), transcript("error"));
        assertEquals("error", reply("error").get("status").getAsString());
        assertEquals("<cell 2>:1:9: 'undefined_name' is not defined", reply("error").get("evalue").getAsString());
        assertEquals(List.of("busy", "input 3", "stdout (3, 3)\n", "result 3 tensor(1)", "idle"),
                transcript("after_error"));
    }

    @Test
    void silentCellsShowNothingAndASemicolonHidesTheValue() {
        assertEquals(List.of("busy", "idle"), transcript("silent"));
        assertEquals(3, reply("silent").get("execution_count").getAsInt());
        assertEquals(List.of("busy", "input 4", "idle"), transcript("hidden_value"));
    }

    @Test
    void completesNamesAndMembersWithCursorPositions() {
        JsonObject zer = seen.getAsJsonObject("complete_zer");
        assertTrue(strings(zer.getAsJsonArray("matches")).contains("zeros"), zer.toString());
        assertEquals(0, zer.get("cursor_start").getAsInt());
        assertEquals(3, zer.get("cursor_end").getAsInt());
        JsonObject member = seen.getAsJsonObject("complete_member");
        assertEquals(List.of("sum"), strings(member.getAsJsonArray("matches")));
        assertEquals(6, member.get("cursor_start").getAsInt());
        assertEquals(8, member.get("cursor_end").getAsInt());
    }

    @Test
    void trainingUpdatesOneProgressDisplayAndPlotShowsAPicture() {
        List<String> kinds = new ArrayList<>();
        String progressId = null;
        for (JsonElement e : seen.getAsJsonObject("train_and_plot").getAsJsonArray("iopub")) {
            JsonArray m = e.getAsJsonArray();
            String type = m.get(0).getAsString();
            if (type.equals("status") || type.equals("execute_input")) {
                continue;
            }
            JsonObject c = m.get(1).getAsJsonObject();
            if (type.equals("stream")) {
                kinds.add("stream " + c.get("text").getAsString().replaceAll("(?s)loss .*", "..."));
            } else if (c.getAsJsonObject("data").has("image/png")) {
                byte[] png = java.util.Base64.getDecoder().decode(c.getAsJsonObject("data").get("image/png").getAsString());
                assertEquals("\u0089PNG", new String(png, 0, 4, java.nio.charset.StandardCharsets.ISO_8859_1));
                kinds.add(type + " png " + c.getAsJsonObject("data").get("text/plain").getAsString());
            } else {
                String id = c.getAsJsonObject("transient").get("display_id").getAsString();
                assertTrue(progressId == null || progressId.equals(id), "one progress display");
                progressId = id;
                assertTrue(c.getAsJsonObject("data").get("text/plain").getAsString().startsWith("epoch "), c.toString());
                if (kinds.isEmpty() || !kinds.get(kinds.size() - 1).startsWith("update")) {
                    kinds.add(type + " progress");
                }
            }
        }
        assertEquals(List.of("stream training on cpu\n", "display_data progress", "update_display_data progress",
                "stream epoch 1, ...", "update_display_data progress", "stream epoch 2, ...",
                "update_display_data progress", "display_data png <training curves: runs/quick/curves.png>"), kinds);
    }

    @Test
    void isCompleteFollowsTheReplsContinuationRules() {
        assertEquals("incomplete", seen.getAsJsonObject("is_complete_open").get("status").getAsString());
        assertEquals("complete", seen.getAsJsonObject("is_complete_done").get("status").getAsString());
    }

    @Test
    void inspectShowsAVariablesShapeAndABuiltinsDoc() {
        assertEquals("X: tensor, shape (3, 3), dtype int64\ntensor([[0, 1, 2],\n        [3, 4, 5],\n        [6, 7, 8]])\n",
                seen.getAsJsonObject("inspect_variable").getAsJsonObject("data").get("text/plain").getAsString());
        String doc = seen.getAsJsonObject("inspect_builtin").getAsJsonObject("data").get("text/plain").getAsString();
        assertTrue(doc.startsWith("zeros(*size, dtype=none)   [tensors]\n"), doc);
        assertEquals("ok", seen.getAsJsonObject("history").get("status").getAsString());
        assertEquals("[[0,1,\"X = tensor[[0, 1, 2], [3, 4, 5], [6, 7, 8]]\\nprint(X.sum())\\nX * 2\"],"
                + "[0,2,\"y = X + undefined_name\"],[0,3,\"print(X.shape)\\nX[0, 1]\"],[0,4,\"z = 7;\"]]",
                seen.getAsJsonObject("history").get("history").toString(), "the silent cell is not in it");
    }

    @Test
    void anInterruptEndsTheCellWithAnErrorAndKeepsTheVariables() {
        for (String how : List.of("message", "signal")) {
            String run = "interrupted_by_" + how;
            int n = reply(run).get("execution_count").getAsInt();
            List<String> t = transcript(run);
            assertEquals(4, t.size(), t.toString());
            assertEquals(List.of("busy", "input " + n, "idle"), List.of(t.get(0), t.get(1), t.get(3)), how);
            // The stop lands at the loop or at the statement in its body, whichever runs next.
            String at1 = "error <cell " + n + ">:2:1: interrupted\n    while true { n += 1 }\n    ^";
            String at14 = "error <cell " + n + ">:2:14: interrupted\n    while true { n += 1 }\n                 ^";
            assertTrue(t.get(2).equals(at1) || t.get(2).equals(at14), how + ": " + t.get(2));
        }
        assertEquals("stdout (3, 3) true\n", transcript("after_interrupt").get(2));
    }

    @Test
    void badlySignedAndMalformedMessagesAreDroppedAndLogged() {
        assertEquals("stdout (3, 3)\n", transcript("after_bad_messages").get(2), "X = 999 must not have run");
        assertTrue(seen.get("bad_message_answered").isJsonNull(), seen.get("bad_message_answered").toString());
        String log = seen.get("kernel_log").getAsString();
        assertTrue(log.contains("cnn kernel: dropped a message on shell: bad signature"), log);
        assertTrue(log.contains("cnn kernel: dropped a message on shell: no <IDS|MSG> delimiter"), log);
    }

    @Test
    void shutdownEndsTheProcessAndFreesThePorts() {
        assertEquals(false, seen.getAsJsonObject("shutdown").get("restart").getAsBoolean());
        assertEquals(0, seen.get("exit_code").getAsInt());
        assertEquals("[true,true,true,true,true]", seen.get("ports_free").toString());
    }

    @Test
    void timingsAreReported() {
        // The targets (1.5 s to kernel_info, 20 ms for 1 + 1) are measured in docs/PERFORMANCE.md;
        // here, on a loaded machine, only that they are sane.
        double start = seen.get("start_to_kernel_info_s").getAsDouble();
        double warm = seen.getAsJsonObject("warm_1_plus_1_ms").get("median").getAsDouble();
        System.out.printf("kernel: %.2f s to kernel_info_reply, 1 + 1 in %.1f ms (median)%n", start, warm);
        assertTrue(start < 120 && warm < 5_000, start + " s, " + warm + " ms");
    }
}
