package io.cnnscript.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Engines share nothing a script can change (issue 14 item 10): each has its own random stream
 * (libtorch has one generator per process) and its own built-in layers.
 */
class EngineIsolationTest {

    /** Draws that take every random path: randn, rand, a layer's initialisation and a dropout mask. */
    private static final String DRAWS = """
            a = randn(5)
            L = Linear(3, 2)
            b = rand(2, 2)
            D = Dropout(0.5)
            m = D(ones(4, 8))
            c = randn(20)
            """;

    private static String text(CnnEngine e) {
        return e.eval("str(a) + str(L.weight) + str(b) + str(m) + str(c)").toString();
    }

    private static String alone(long seed) {
        try (CnnEngine e = CnnEngine.builder().build()) {
            e.eval("seed(" + seed + ")\n" + DRAWS);
            return text(e);
        }
    }

    @Test
    void aSeedInOneEngineDoesNotMoveAnothersNumbers() {
        String a42 = alone(42);
        String b7 = alone(7);
        try (CnnEngine a = CnnEngine.builder().build(); CnnEngine b = CnnEngine.builder().build()) {
            a.eval("seed(42)");
            b.eval("seed(7)");
            // Each line of DRAWS in turn, the two engines interleaved.
            for (String line : DRAWS.strip().split("\n")) {
                a.eval(line);
                b.eval("seed(7)\n" + DRAWS.substring(0, DRAWS.indexOf(line) + line.length()));
                b.eval("x = randn(3)");
            }
            assertEquals(a42, text(a));
            b.eval("seed(7)\n" + DRAWS);
            assertEquals(b7, text(b));
        }
        // An engine that never seeds draws from PyTorch's default seed, as a fresh process does.
        try (CnnEngine a = CnnEngine.builder().build(); CnnEngine b = CnnEngine.builder().build()) {
            b.eval("seed(3)\nx = randn(100)");
            a.eval("a = randn(3)");
            assertEquals(a.eval("str(a)"), freshDefault());
        }
    }

    private static Object freshDefault() {
        try (CnnEngine e = CnnEngine.builder().build()) {
            e.eval("seed(67280421310721)\na = randn(3)");
            return e.eval("str(a)");
        }
    }

    @Test
    void builtInLayersBelongToTheirEngine() {
        try (CnnEngine a = CnnEngine.builder().build(); CnnEngine b = CnnEngine.builder().build()) {
            a.eval("ReLU.eval()\nnet = Linear(2, 2) >> Sigmoid\nnet.eval()");
            assertEquals(false, a.eval("ReLU.training"));
            assertEquals(false, a.eval("Sigmoid.training"));
            assertEquals(true, b.eval("ReLU.training"));
            assertEquals(true, b.eval("Sigmoid.training"));
            // ReLU() is a new module each time, as in PyTorch.
            assertEquals(true, a.eval("ReLU().training"));
            assertEquals(List.of(), List.copyOf(b.variables()));
        }
    }

    /** Four engines on four threads, each checking its seeded numbers and its arithmetic every step. */
    @Test
    void fourEnginesOnFourThreadsStayCorrect() throws Exception {
        int threads = 4;
        int steps = 60;
        List<String> expected = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            try (CnnEngine e = CnnEngine.builder().build()) {
                e.eval("seed(" + (100 + t) + ")\nx = randn(50)\nL = Linear(4, 3)");
                expected.add(e.eval("str(x) + str(L.weight)").toString());
            }
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<Integer>> wrong = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int id = t;
                wrong.add(pool.submit(() -> {
                    int bad = 0;
                    try (CnnEngine e = CnnEngine.builder().out(new StringWriter()).build()) {
                        start.await();
                        for (int i = 0; i < steps; i++) {
                            e.eval("seed(" + (100 + id) + ")\nx = randn(50)\nL = Linear(4, 3)");
                            if (!expected.get(id).equals(e.eval("str(x) + str(L.weight)"))) {
                                bad++;
                            }
                            Object sum = e.eval("(arange(" + (i + id) + ") * 2).sum().item()");
                            long n = i + id;
                            if (!Long.valueOf(n * (n - 1)).equals(sum)) {
                                bad++;
                            }
                        }
                    }
                    return bad;
                }));
            }
            start.countDown();
            for (int t = 0; t < threads; t++) {
                assertEquals(0, wrong.get(t).get(300, TimeUnit.SECONDS), "wrong results in thread " + t);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
