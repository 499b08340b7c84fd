package io.cnnscript.jupyter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A kernel in this JVM, asked by a minimal front end, leaves no thread behind once shut down. */
class KernelInProcessTest {

    @Test
    void aShutDownKernelLeavesNoZeroMqOrKernelThread() throws Exception {
        StringWriter log = new StringWriter();
        Probe.Seen seen = Probe.run(new PrintWriter(log));
        assertEquals("cnnscript", seen.info().getAsJsonObject("language_info").get("name").getAsString());
        List<String> matches = new ArrayList<>();
        for (JsonElement e : seen.completion().getAsJsonArray("matches")) {
            matches.add(e.getAsString());
        }
        assertTrue(matches.contains("zeros"), matches.toString());
        assertEquals(4, seen.completion().get("cursor_start").getAsInt());
        assertEquals("ok", seen.shutdown().get("status").getAsString());
        List<String> left = new ArrayList<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            String name = t.getName();
            if (t.isAlive() && (name.startsWith("cnn-kernel") || name.startsWith("reaper-")
                    || name.startsWith("iothread-"))) {
                left.add(name);
            }
        }
        assertEquals(List.of(), left);
        assertEquals("", log.toString());
    }
}
