package io.cnnscript.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The library as an embedder meets it (issue 14): offline unless asked, host functions on the engine's thread. */
class EmbedderLibraryTest {

    /**
     * In a JVM where the host set nothing (the test JVM sets ai.djl.offline itself, so a fresh one
     * is started), building an engine switches DJL's offline mode on: no download, no cloud probe.
     */
    @Test
    void anEngineTurnsDjlOfflineUnlessTheHostAsked(@TempDir Path dir) throws Exception {
        Path main = dir.resolve("Offline.java");
        Files.writeString(main, """
                public class Offline {
                    public static void main(String[] a) {
                        try (io.cnnscript.api.CnnEngine e = io.cnnscript.api.CnnEngine.builder().build()) {
                            System.out.println(System.getProperty("ai.djl.offline") + " " + e.eval("1 + 1"));
                        }
                    }
                }
                """);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
                main.toString()));
        pb.environment().remove("DJL_OFFLINE");
        Process p = pb.redirectError(ProcessBuilder.Redirect.DISCARD).start();
        assertTrue(p.waitFor(3, TimeUnit.MINUTES), "the child JVM did not finish");
        assertEquals("true 2\n", new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        assertEquals(0, p.exitValue());
    }

    /** Host functions run on the engine's own thread: the caller's ThreadLocals are not there. */
    @Test
    void hostFunctionsRunOnTheEnginesThread() {
        ThreadLocal<String> callers = new ThreadLocal<>();
        callers.set("the caller's");
        AtomicReference<Thread> ran = new AtomicReference<>();
        AtomicReference<String> seen = new AtomicReference<>("unset");
        try (CnnEngine engine = CnnEngine.builder().build()) {
            engine.define("where", "", args -> {
                ran.set(Thread.currentThread());
                seen.set(callers.get());
                return null;
            });
            engine.eval("where()");
            assertNotSame(Thread.currentThread(), ran.get());
            assertTrue(ran.get().getName().startsWith("cnnscript-"), ran.get().getName());
            assertNull(seen.get(), "a ThreadLocal of the caller is not visible");
            Thread first = ran.get();
            engine.call("where");
            assertEquals(first, ran.get(), "every script of the engine runs on the same thread");
        }
    }
}
