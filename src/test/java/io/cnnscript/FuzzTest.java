package io.cnnscript;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import ai.djl.ndarray.NDManager;
import io.cnnscript.error.CnnException;
import io.cnnscript.error.CnnExit;
import io.cnnscript.interp.Interpreter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Feeds the parser and the interpreter random token streams and mutations of every example
 * and test script. Each input runs with a statement limit, a time limit and a tensor-size
 * limit; it must end normally or with a CnnException that carries a location, never with
 * another exception, a crash or a hang.
 *
 * <p>A third part runs an attacker's grammar (paths and links out of the allowed folder, huge
 * exponents and sizes, deep nesting, big broadcasts, self-holding lists) against an engine with
 * the embedding limits.
 *
 * <p>The suite runs a short budget; a long run is
 * {@code mvn -B test -Dtest=FuzzTest -Dfuzz.seconds=600 -Dfuzz.attack.seconds=600 [-Dfuzz.seed=N]}.
 */
class FuzzTest {

    private static final String[] TOKENS = {
        "fn", "layer", "if", "else", "for", "in", "while", "return", "break", "continue", "and", "or", "not",
        "true", "false", "none", "tensor", "(", ")", "[", "]", "{", "}", ",", ":", ";", ".", "=", "+=", "-=",
        "*=", "/=", "+", "-", "*", "/", "%", "**", "@", ">>", "==", "!=", "<", "<=", ">", ">=", "\n", "\n",
        "x", "y", "X", "K", "i", "f", "print", "corr2d", "zeros", "ones", "rand", "arange", "range", "stack",
        "cat", "len", "param", "backward", "reshape", "sum", "shape", "T", "grad", "item", "0", "1", "2", "3",
        "-1", "0.5", "1e-3", "\"s\"", "'%d'", "#c\n", "\\\n", "$", "\"open",
    };

    @Test
    void randomInputsNeverEscapeAsJavaErrors() throws Exception {
        long seconds = Long.getLong("fuzz.seconds", 20);
        long seed = Long.getLong("fuzz.seed", System.nanoTime());
        Random random = new Random(seed);
        List<String> corpus = corpus();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        int tried = 0;
        int failedAsExpected = 0;
        ExecutorService runner = Executors.newSingleThreadExecutor();
        try (Interpreter in = newInterpreter()) {
            while (System.nanoTime() < deadline) {
                String input = random.nextInt(3) == 0 ? tokens(random) : mutate(corpus.get(random.nextInt(corpus.size())), random);
                tried++;
                Future<Throwable> run = runner.submit(() -> {
                    try {
                        in.reset();
                        in.eval(input, "fuzz.cnn", random.nextBoolean());
                        return null;
                    } catch (Throwable t) {
                        return t;
                    }
                });
                Throwable t;
                try {
                    t = run.get(30, TimeUnit.SECONDS);
                } catch (TimeoutException e) {
                    in.requestStop();
                    fail("no answer after 30 s (limits are 2 s and 20,000 statements); seed " + seed + ", input:\n" + input);
                    return;
                }
                if (t == null) {
                    continue;
                }
                if (t instanceof CnnExit) {
                    continue; // a mutation made exit(): the script ends, as asked
                }
                if (!(t instanceof CnnException c)) {
                    throw new AssertionError("a Java error escaped; seed " + seed + ", input:\n" + input, t);
                }
                if (!c.hasLocation()) {
                    throw new AssertionError("an error without a location: " + c.getMessage() + "; seed " + seed
                            + ", input:\n" + input, c);
                }
                if (c.detail().startsWith("internal error")) {
                    throw new AssertionError("internal error: " + c.getMessage() + "; input:\n" + input, c.getCause());
                }
                failedAsExpected++;
            }
        } finally {
            runner.shutdownNow();
        }
        System.out.printf("fuzz: %d inputs in %d s (seed %d), %d ended with a located error%n", tried, seconds, seed,
                failedAsExpected);
    }

    /** The fuzzer's mutations may write files: they land in a temporary folder, never in the checkout. */
    @Test
    void scriptsFromTheTestsCannotWriteIntoTheCheckout() throws IOException {
        Path inCheckout = ScriptRunner.root().resolve("fuzz-never.params");
        try (Interpreter in = newInterpreter()) {
            in.setTimeoutNanos(0); // what is tested here is where files go, not time (the first save warms up DJL)
            in.eval("save(Linear(1, 1), \"fuzz-never.params\")", "fuzz.cnn", false);
            assertTrue(Files.exists(TestFiles.scratch().resolve("fuzz-never.params")));
            assertFalse(Files.exists(inCheckout));
            for (String path : List.of(inCheckout.toString(), ScriptRunner.root().resolve("src/x.params").toString())) {
                CnnException e = assertThrows(CnnException.class,
                        () -> in.eval("save(Linear(1, 1), \"" + path + "\")", "fuzz.cnn", false));
                assertTrue(e.detail().startsWith("the path " + path + " is outside the folders"), e.detail());
            }
            assertFalse(Files.exists(inCheckout));
        } finally {
            Files.deleteIfExists(TestFiles.scratch().resolve("fuzz-never.params"));
        }
    }

    /** What an attacker who controls only the script text tries: paths, links, huge sizes, deep nesting. */
    private static final String[] ATTACKS = {
        "save(Linear(2, 2), P)", "load(Linear(2, 2), P)", "plot(P, P)", "plot('r', P)", "fashion_mnist(data_dir=P)",
        "x = 3 ** N", "x = 2 ** N ** N", "x = ones(3) ** N", "x = 2.0 ** N", "x = N ** -N",
        "x = tensor[N] // -1", "x = tensor[-9223372036854775807 - 1] % -1",
        "x = (((((((((((((((((((((((((((((((((1)))))))))))))))))))))))))))))))))",
        "x = OPEN1CLOSE", "if true { NEST }", "x = ones(N, 1) * ones(1, N)", "x = ones(N, N) @ ones(N, N)",
        "Linear(N, N)", "Conv(N, N, 3)", "Conv(1, N, 1)(ones(1, 1, 100, 100))", "stack([ones(N)] * N)",
        "cat([ones(N)] * N)", "ones(1).expand(N, N) + 1", "ones(2).repeat(N, N)", "'%Nd' % 1", "'%.Nf' % 1.5",
        "s = 'ab'\nwhile true { s = s + s }", "x = [0]\nwhile true { x.extend(x) }", "x = []\nx.append(x)\nx == x",
        "x = []\nx.append(x)\nprint(x)", "y = []\ny.append(y)\nx = []\nx.append(x)\nx == y",
        "a = []\nfor i in range(N) { a = [a] }\nprint(a)", "[0 for i in range(N) if false]", "while true { }",
        "for i in range(N) { net = Linear(50, 50)\n y = net(ones(1, 50)) }", "fn f(n) { return f(n + 1) }\nf(0)",
        "x = - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - 1", "x = [1] * N", "x = 'a' * N",
    };

    private static final String[] PATHS = {
        "''", "'.'", "'..'", "'/'", "'../outside/secret'", "'link/x.params'", "'d'", "'r'", "'r/metrics.csv'",
        "'sub/../../outside/secret'", "'/etc/passwd'", "'secret'", "'r/'", "'d/train-images-idx3-ubyte'", "'x.png'",
        "'net.params'", "'a\\0b'", "'" + "x/".repeat(50) + "f'",
    };

    private static final String[] NUMBERS = {"0", "1", "7", "64", "1000", "40000", "100000", "9223372036854775807",
        "99999999999", "10 ** 12", "-1"};

    private static String attack(Random random) {
        StringBuilder sb = new StringBuilder();
        int n = 1 + random.nextInt(3);
        for (int i = 0; i < n; i++) {
            String a = ATTACKS[random.nextInt(ATTACKS.length)];
            int depth = List.of(50, 199, 200, 201, 5000).get(random.nextInt(5));
            a = a.replace("OPEN1CLOSE", "(".repeat(depth) + "1" + ")".repeat(depth))
                    .replace("NEST", "if true { ".repeat(depth) + "x = 1" + " }".repeat(depth));
            while (a.contains("P")) {
                a = a.replaceFirst("P", PATHS[random.nextInt(PATHS.length)]);
            }
            while (a.contains("N")) {
                a = a.replaceFirst("N", NUMBERS[random.nextInt(NUMBERS.length)]);
            }
            sb.append(a).append('\n');
        }
        return sb.toString();
    }

    private static final String SECRET = "TOP SECRET host file";

    private static List<String> tree(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.map(p -> dir.relativize(p).toString()).sorted().toList();
        }
    }

    /**
     * An attacker's grammar against an engine with the embedding limits and file access to one
     * folder: no Java error, no file outside the folder read, written or named in an error with
     * its contents, and every script answered within its time limit plus one native operation.
     */
    @Test
    void attackerScriptsStayInsideTheLimits(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        long seconds = Long.getLong("fuzz.attack.seconds", 15);
        long seed = Long.getLong("fuzz.seed", System.nanoTime());
        Random random = new Random(seed);
        Path root = Files.createDirectory(dir.resolve("root"));
        Path outside = Files.createDirectory(dir.resolve("outside"));
        Path secret = Files.writeString(outside.resolve("secret"), SECRET);
        Files.createSymbolicLink(root.resolve("link"), outside);
        Files.createSymbolicLink(root.resolve("secret"), secret);
        Path d = Files.createDirectory(root.resolve("d"));
        Files.createSymbolicLink(d.resolve("train-images-idx3-ubyte"), secret);
        for (String f : List.of("train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte")) {
            Files.writeString(d.resolve(f), "x");
        }
        Path r = Files.createDirectory(root.resolve("r"));
        Files.createSymbolicLink(r.resolve("metrics.csv"), secret);
        List<String> outsideBefore = tree(dir);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        int tried = 0;
        long slowest = 0;
        try (io.cnnscript.api.CnnEngine engine = io.cnnscript.api.CnnEngine.builder().out(Writer.nullWriter())
                .err(Writer.nullWriter()).timeout(java.time.Duration.ofSeconds(1)).maxStatements(1_000_000)
                .maxTensorElements(10_000_000).maxNativeBytes(1L << 30).allowFiles(root).build()) {
            while (System.nanoTime() < deadline) {
                String input = attack(random);
                tried++;
                long start = System.nanoTime();
                try {
                    engine.eval(input, "attack.cnn");
                } catch (CnnException c) {
                    if (!c.hasLocation() || c.detail().startsWith("internal error")) {
                        throw new AssertionError("seed " + seed + ": " + c.getMessage() + "; input:\n" + input, c);
                    }
                    assertFalse(c.getMessage().contains("SECRET"), "a file's contents in an error: " + c.getMessage());
                } catch (Throwable t) {
                    throw new AssertionError("a Java error escaped; seed " + seed + ", input:\n" + input, t);
                }
                long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                slowest = Math.max(slowest, took);
                // 1 s of limit, plus the native operation running when it passed, on a loaded machine.
                assertTrue(took < 20_000, "seed " + seed + ": " + took + " ms for\n" + input);
            }
        }
        assertEquals(SECRET, Files.readString(secret), "the secret is unchanged");
        List<String> after = new ArrayList<>(tree(dir));
        after.removeIf(p -> p.startsWith("root/") && !outsideBefore.contains(p) && !p.startsWith("root/link"));
        assertEquals(outsideBefore, after, "nothing written outside the root");
        System.out.printf("attack fuzz: %d scripts in %d s (seed %d), slowest %d ms%n", tried, seconds, seed, slowest);
    }

    private static Interpreter newInterpreter() {
        Writer sink = Writer.nullWriter();
        Interpreter in = new Interpreter(NDManager.newBaseManager(), new PrintWriter(sink), new PrintWriter(sink));
        TestFiles.confine(in); // a mutated save(...) or train(log=...) must never reach the checkout
        in.setMaxStatements(20_000);
        in.setTimeoutNanos(TimeUnit.SECONDS.toNanos(2));
        in.setMaxTensorElements(10_000_000);
        return in;
    }

    private static List<String> corpus() throws IOException {
        List<String> out = new ArrayList<>();
        for (Path dir : List.of(Path.of("examples"), Path.of("src/test/resources/scripts"))) {
            try (Stream<Path> files = Files.list(dir)) {
                for (Path p : files.filter(p -> p.toString().endsWith(".cnn")).sorted().toList()) {
                    out.add(Files.readString(p));
                }
            }
        }
        return out;
    }

    private static String tokens(Random random) {
        StringBuilder sb = new StringBuilder();
        int n = 1 + random.nextInt(40);
        for (int i = 0; i < n; i++) {
            sb.append(TOKENS[random.nextInt(TOKENS.length)]).append(random.nextInt(4) == 0 ? "" : " ");
        }
        return sb.toString();
    }

    /** Deletes, repeats, swaps or replaces pieces of a real script. */
    private static String mutate(String source, Random random) {
        StringBuilder sb = new StringBuilder(source);
        int edits = 1 + random.nextInt(4);
        for (int e = 0; e < edits && sb.length() > 0; e++) {
            int at = random.nextInt(sb.length());
            int len = Math.min(sb.length() - at, 1 + random.nextInt(20));
            switch (random.nextInt(5)) {
                case 0 -> sb.delete(at, at + len);
                case 1 -> sb.insert(at, sb.substring(at, at + len));
                case 2 -> sb.insert(at, TOKENS[random.nextInt(TOKENS.length)]);
                case 3 -> sb.replace(at, at + len, TOKENS[random.nextInt(TOKENS.length)]);
                default -> {
                    int other = random.nextInt(sb.length());
                    String piece = sb.substring(at, at + len);
                    sb.delete(at, at + len);
                    sb.insert(Math.min(other, sb.length()), piece);
                }
            }
        }
        // Big numbers make big tensors; keep loops and sizes within what the limits test.
        return sb.toString().replaceAll("\\d{4,}", "999");
    }

}
