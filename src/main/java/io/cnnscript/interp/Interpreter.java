package io.cnnscript.interp;

import ai.djl.engine.Engine;
import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.cnnscript.error.CnnException;
import io.cnnscript.lib.Errors;
import io.cnnscript.lib.GradMode;
import io.cnnscript.lib.Library;
import io.cnnscript.lib.Suggest;
import io.cnnscript.parse.Parser;
import io.cnnscript.syntax.SourceLocation;
import io.cnnscript.syntax.Stmt;
import io.cnnscript.value.Callable;
import io.cnnscript.value.NoneValue;
import io.cnnscript.value.Runtime;
import io.cnnscript.value.Values;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;

/**
 * Runs cnnscript. {@link #eval} shows the whole pipeline: parse (ANTLR, then our own syntax
 * tree), compile (resolve names, check placement), execute (nodes over DJL). One interpreter
 * is one isolated session: its own globals and its own native memory. It is not thread-safe:
 * use it from one thread at a time.
 */
public final class Interpreter implements Runtime, AutoCloseable {

    final Memory mem;
    private final Map<String, Cell> globals = new LinkedHashMap<>();
    private final ArrayList<Frame> frames = new ArrayList<>();
    private final Frame top;
    private PrintWriter out;
    private PrintWriter err;
    private final Random random = new Random();

    private int callDepth;
    /** The deepest nesting of script calls, unless the embedder sets another. */
    public static final int DEFAULT_MAX_DEPTH = 800;
    /** The most elements one new tensor may have, unless the embedder sets another (2^31). */
    public static final long DEFAULT_MAX_TENSOR_ELEMENTS = 1L << 31;
    private int maxDepth = DEFAULT_MAX_DEPTH;
    private long steps;
    private long maxSteps = Long.MAX_VALUE;
    private long timeoutNanos;
    private long deadline;
    /** Why the script must stop at its next check: 0 (it need not), STOP_INTERRUPT or STOP_TIMEOUT. */
    private volatile int stop;
    private static final int STOP_INTERRUPT = 1;
    private static final int STOP_TIMEOUT = 2;
    private int limitDepth;
    private java.util.concurrent.ScheduledFuture<?> timer;
    private PathPolicy paths = PathPolicy.ANY;
    private boolean echoPrints = true;

    /** Which files scripts may read and write. */
    public interface PathPolicy {
        PathPolicy ANY = (path, write) -> path.toAbsolutePath().normalize();

        /** The resolved path, or a CnnException saying why it is refused. */
        Path check(Path path, boolean write);
    }

    static {
        offlineUnlessAsked();
        quietSlf4jWithoutProvider();
    }

    /**
     * The library of every built-in: the language's own (lib) and the neural-network ones (nn),
     * with nn's {@code >>} on layers. Built once, on first use, and only read after that:
     * engines copy from it the built-ins that have state (see reset).
     */
    public static Library standardLibrary() {
        return Standard.LIBRARY;
    }

    private static final class Standard {
        static final Library LIBRARY = io.cnnscript.nn.Nn.addTo(Library.builder()).build();
    }

    /** The built-ins this engine started with. */
    private final Library library;

    /**
     * The library makes no network connection unless the host asks: DJL's offline mode (no
     * downloads, no cloud-metadata probe) is switched on unless the host set
     * {@code -Dai.djl.offline} or {@code DJL_OFFLINE} itself. Called before anything touches DJL.
     */
    public static void offlineUnlessAsked() {
        if (System.getProperty("ai.djl.offline") == null && System.getenv("DJL_OFFLINE") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
    }

    /**
     * DJL logs through SLF4J, and its first class asks SLF4J for a logger; in an application with
     * no SLF4J provider (backend) at all, SLF4J then prints a three-line notice on stderr and uses
     * its no-operation logger. When no provider is there to be found (SLF4J looks for them with
     * the ServiceLoader of its own class loader, as here) and the host set neither
     * {@code slf4j.provider} nor {@code slf4j.internal.verbosity}, this names that same
     * no-operation provider explicitly (and keeps SLF4J's note about an explicit provider quiet),
     * so nothing is printed and nothing else changes: no backend is imposed, and an application
     * with a provider is left alone. Called before anything touches DJL.
     */
    public static void quietSlf4jWithoutProvider() {
        if (System.getProperty("slf4j.provider") != null || System.getProperty("slf4j.internal.verbosity") != null) {
            return;
        }
        try {
            ClassLoader loader = Interpreter.class.getClassLoader();
            Class<?> spi = Class.forName("org.slf4j.spi.SLF4JServiceProvider", false, loader);
            Class<?> api = Class.forName("org.slf4j.LoggerFactory", false, loader);
            Class.forName("org.slf4j.helpers.NOP_FallbackServiceProvider", false, loader);
            if (java.util.ServiceLoader.load(spi, api.getClassLoader()).stream().findAny().isEmpty()) {
                System.setProperty("slf4j.provider", "org.slf4j.helpers.NOP_FallbackServiceProvider");
                System.setProperty("slf4j.internal.verbosity", "WARN");
            }
        } catch (ClassNotFoundException | LinkageError | java.util.ServiceConfigurationError | SecurityException e) {
            // an SLF4J without providers (1.x) or none at all: leave it as it is
        }
    }

    public Interpreter(NDManager root, PrintWriter out, PrintWriter err) {
        this(root, out, err, standardLibrary());
    }

    public Interpreter(NDManager root, PrintWriter out, PrintWriter err, Library library) {
        this.library = library;
        this.mem = new Memory(root);
        this.out = out;
        this.err = err;
        this.top = new Frame(this, 0, null);
        reset();
    }

    /** The script call running now (the innermost), where a warning it gives is placed; null for none. */
    SourceLocation callSite;
    /** The warnings shown, by file:line, category and text: each is shown once, as Python's default filter does. */
    private final java.util.Set<String> warned = new java.util.HashSet<>();
    /** The last source text run under each file name, for the line a warning shows. */
    private final Map<String, String> sources = new java.util.HashMap<>();

    @Override
    public void warn(String category, String message) {
        SourceLocation at = callSite;
        if (!warned.add((at == null ? "" : at.file() + ":" + at.line()) + "\0" + category + "\0" + message)) {
            return;
        }
        if (at == null) {
            err.println(category + ": " + message);
        } else {
            err.println(at + ": " + category + ": " + message);
            String source = sources.get(at.file());
            String[] lines = source == null ? new String[0] : source.split("\r?\n", -1);
            if (at.line() - 1 < lines.length) {
                String line = lines[at.line() - 1].replace('\t', ' ');
                err.println("    " + line);
                err.println("    " + " ".repeat(Math.max(0, Math.min(at.column() - 1, line.length()))) + "^");
            }
        }
        err.flush();
    }

    /** Forgets every variable and restores the built-ins. */
    public void reset() {
        warned.clear();
        for (Cell c : globals.values()) {
            c.value = null;
        }
        builtinValues.clear();
        for (Map.Entry<String, Object> e : library.globals().entrySet()) {
            Object v = e.getValue() instanceof io.cnnscript.value.PerEngine p ? p.copyForEngine() : e.getValue();
            builtinValues.put(e.getKey(), v);
            cell(e.getKey()).value = v;
        }
    }

    /** The built-ins as this engine holds them (its own copies of those with state). */
    private final Map<String, Object> builtinValues = new LinkedHashMap<>();

    /** The built-ins this engine started with (their documentation included). */
    public Library library() {
        return library;
    }

    @Override
    public Object compose(Object left, Object right) {
        Library.Composer c = library.composer();
        return c == null ? null : c.compose(this, left, right);
    }

    /** The built-in value of a name in this engine, or null. */
    public Object builtin(String name) {
        return builtinValues.get(name);
    }

    Cell cell(String name) {
        return globals.computeIfAbsent(name, Cell::new);
    }

    // ------------------------------------------------------------------ running

    /**
     * Parses, checks and runs source text. With echo on (the REPL), top-level expression
     * statements print their value and store it in {@code _}.
     */
    public void eval(String source, String file, boolean echo) {
        onWorker(() -> limited(() -> {
            sources.put(file, source);
            List<Stmt> program = Parser.parse(source, file, this::checkStop);
            Nodes.Stmt[] code = new Compiler(this).program(program, echo);
            run(code);
            return null;
        }));
    }

    /**
     * Runs one eval, compile or run under the limits: the statement count starts at zero, the
     * deadline at now (a timer sets the stop flag when it passes, so every statement and every
     * operation checks it by reading one field). Nested calls (a host function that evaluates
     * code) run under the outer limits.
     */
    private <T> T limited(java.util.concurrent.Callable<T> work) throws Exception {
        if (limitDepth++ > 0) {
            try {
                return work.call();
            } finally {
                limitDepth--;
            }
        }
        steps = 0;
        // A pending interrupt (asked for while no script ran) stops this one at its first check.
        stop = 0;
        if (stopPending.getAndSet(false)) { // cleared before it is read: an interrupt racing the start is seen
            stop = STOP_INTERRUPT;
        }
        deadline = timeoutNanos > 0 ? System.nanoTime() + timeoutNanos : 0;
        if (timeoutNanos > 0) {
            timer = Timer.SCHEDULER.schedule(() -> {
                stop = STOP_TIMEOUT;
            }, timeoutNanos, java.util.concurrent.TimeUnit.NANOSECONDS);
        }
        try {
            return work.call();
        } finally {
            limitDepth--;
            stopPending.set(false); // an interrupt asked for during this run was for this run
            if (timer != null) {
                timer.cancel(false);
                timer = null;
            }
        }
    }

    /** One daemon thread for every engine's deadlines: it only sets flags. */
    private static final class Timer {
        static final java.util.concurrent.ScheduledExecutorService SCHEDULER;

        static {
            java.util.concurrent.ScheduledThreadPoolExecutor s = new java.util.concurrent.ScheduledThreadPoolExecutor(1,
                    r -> {
                        Thread t = new Thread(r, "cnnscript-deadlines");
                        t.setDaemon(true);
                        return t;
                    });
            s.setRemoveOnCancelPolicy(true);
            SCHEDULER = s;
        }
    }

    /**
     * Runs work on this interpreter's own thread. Its stack is large, so deep (bounded)
     * recursion in a script never overflows inside native code, and libtorch's per-thread grad
     * mode is always set where the tensors are made. Calls from that thread run directly.
     */
    public <T> T onWorker(java.util.concurrent.Callable<T> work) {
        if (Thread.currentThread() == workerThread) {
            try {
                return work.call();
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new CnnException(Errors.firstLine(e), e);
            }
        }
        java.util.concurrent.Future<T> result = worker().submit(work);
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return result.get();
                } catch (InterruptedException e) {
                    // The caller was interrupted: stop the script, then wait for it to end.
                    interrupted = true;
                    requestStop();
                }
            }
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new CnnException(Errors.firstLine(cause), cause);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private java.util.concurrent.ExecutorService worker;
    private volatile Thread workerThread;
    private static final java.util.concurrent.atomic.AtomicInteger WORKERS = new java.util.concurrent.atomic.AtomicInteger();

    private synchronized java.util.concurrent.ExecutorService worker() {
        if (worker == null) {
            worker = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(null, r, "cnnscript-" + WORKERS.incrementAndGet(), 512L << 20);
                t.setDaemon(true);
                workerThread = t;
                return t;
            });
        }
        return worker;
    }

    /**
     * Parses and checks source text once; the returned code runs many times in this interpreter
     * (the embedding API's compiled scripts). Echo as in {@link #eval}.
     */
    public Runnable compile(String source, String file, boolean echo) {
        Nodes.Stmt[] code = onWorker(() -> limited(
                () -> new Compiler(this).program(Parser.parse(source, file, this::checkStop), echo)));
        return () -> onWorker(() -> limited(() -> {
            sources.put(file, source);
            run(code);
            return null;
        }));
    }

    /**
     * Calls a script value (a function, a layer, a built-in) for the host, on this engine's
     * thread and under its limits: the arguments are made in the call's own scope (freed after
     * it, unless the function keeps them) and the result is converted before the scope ends.
     * Errors inside the function carry their place in its source; errors of the call itself
     * (wrong arguments) carry none, since the caller is Java.
     */
    public <T> T callFromHost(Object callable, java.util.function.Function<NDManager, Object[]> makeArgs,
            java.util.function.Function<Object, T> convert) {
        return onWorker(() -> limited(() -> {
            GradMode.reset();
            int level = mem.enter();
            try {
                Object[] args = makeArgs.apply(scope());
                for (Object a : args) {
                    mem.adopt(a, NO_INPUTS); // made for this call: the call's statement owns them
                }
                return convert.apply(call(callable, args));
            } catch (StackOverflowError e) {
                throw new CnnException("too deep: the calls nest too deeply (endless recursion?)");
            } finally {
                out.flush();
                mem.exit(level);
                callDepth = 0;
                frames.clear();
            }
        }));
    }

    private static final Object[] NO_INPUTS = new Object[0];

    // ------------------------------------------------------------------ operations on tensors

    /*
     * An operator, an index, an attribute, an in-place update or a tensor literal on tensors runs
     * in a scratch scope (Memory.scratch), as a built-in's body does: what it makes on the way is
     * closed when it returns, and its result is adopted as a built-in's is (new unless it is one
     * of the operands). Lib code only returns results. Operands that make no tensors here
     * (numbers, strings; for an index or an attribute, anything but a tensor) skip both.
     */

    Object binary(io.cnnscript.syntax.BinaryOp op, Object a, Object b) {
        if (plain(a) && plain(b)) {
            return io.cnnscript.lib.Operators.binary(this, op, a, b);
        }
        try (ai.djl.ndarray.NDScope scratch = mem.scratch()) {
            return mem.adopt(io.cnnscript.lib.Operators.binary(this, op, a, b), new Object[] {a, b});
        }
    }

    /**
     * A value no operator makes a tensor from: a number, a bool, a string. Lists and tuples are
     * not (they may hold tensors: {@code t in [x, y]}, {@code [x] == [y]} compare them).
     */
    private static boolean plain(Object v) {
        return v instanceof Long || v instanceof Double || v instanceof Boolean || v instanceof String
                || v instanceof java.math.BigInteger || v == NoneValue.NONE;
    }

    Object negate(Object v) {
        if (!(v instanceof NDArray)) {
            return io.cnnscript.lib.Operators.negate(this, v);
        }
        try (ai.djl.ndarray.NDScope scratch = mem.scratch()) {
            return mem.adopt(io.cnnscript.lib.Operators.negate(this, v), new Object[] {v});
        }
    }

    /** target[subs]: a list's item stays with the list; a tensor's part is new. */
    Object index(Object target, Object[] subs) {
        if (!(target instanceof NDArray)) {
            return io.cnnscript.lib.Indexing.get(this, target, subs);
        }
        try (ai.djl.ndarray.NDScope scratch = mem.scratch()) {
            Object[] inputs = new Object[subs.length + 1];
            inputs[0] = target;
            System.arraycopy(subs, 0, inputs, 1, subs.length);
            return mem.adopt(io.cnnscript.lib.Indexing.get(this, target, subs), inputs);
        }
    }

    /** target[subs] = value; a Float (a result computed on the Java side) becomes a tensor unless written into one. */
    void indexSet(Object target, Object[] subs, Object value) {
        if (!(target instanceof NDArray)) {
            Object v = value instanceof Float x ? mem.adopt(io.cnnscript.lib.JavaData.own(scope().create((float) x)), NO_INPUTS) : value;
            io.cnnscript.lib.Indexing.set(this, target, subs, v);
            return;
        }
        try (ai.djl.ndarray.NDScope scratch = mem.scratch()) {
            io.cnnscript.lib.Indexing.set(this, target, subs, value);
        }
    }

    /** {@code a op= rhs} in place when PyTorch changes a in place; false when it does not apply. */
    boolean inPlace(NDArray a, io.cnnscript.syntax.BinaryOp op, Object rhs) {
        try (ai.djl.ndarray.NDScope scratch = mem.scratch()) {
            return io.cnnscript.lib.Tensors.inPlace(this, a, op, rhs);
        }
    }

    /** {@code target.name}: a tensor's attribute ({@code X.T}, {@code X.grad}) is new; a layer's or a list's stays with it. */
    Object attribute(Object target, String name) {
        if (!(target instanceof NDArray)) {
            return io.cnnscript.lib.Members.attribute(library(), this, target, name);
        }
        try (ai.djl.ndarray.NDScope scratch = mem.scratch()) {
            return mem.adopt(io.cnnscript.lib.Members.attribute(library(), this, target, name), new Object[] {target});
        }
    }

    /** {@code [[1, 2], [3, 4]]} written as a tensor literal. */
    Object tensorLiteral(io.cnnscript.value.PyList rows) {
        try (ai.djl.ndarray.NDScope scratch = mem.scratch()) {
            return mem.adopt(io.cnnscript.lib.Tensors.fromNested(this, rows), new Object[] {rows});
        }
    }

    private void run(Nodes.Stmt[] code) {
        GradMode.reset();
        int level = mem.depth();
        try {
            Nodes.execBlock(code, top);
        } catch (StackOverflowError e) {
            throw new CnnException("too deep: the calls nest too deeply (endless recursion?)");
        } catch (OutOfMemoryError e) {
            // A last resort: the sizes a script can ask for are checked before, but the Java heap
            // may still run out; the statement's values are gone by now, so the engine goes on.
            throw new CnnException("out of memory: the script needed more Java heap than there is");
        } finally {
            out.flush();
            mem.exit(level + 1);
            callDepth = 0;
            frames.clear();
        }
    }

    void echo(Object v) {
        cell("_").value = v;
        mem.keep(v);
        if (display != null) {
            display.result(Values.repr(v));
        } else if (echoPrints) {
            out.println(Values.repr(v));
            out.flush();
        }
    }

    /** Makes frame a root of the memory sweep until popFrame (a comprehension's own frame). */
    Frame pushFrame(Frame frame) {
        frames.add(frame);
        return frame;
    }

    void popFrame() {
        frames.remove(frames.size() - 1);
    }

    /** Calls a script function. */
    Object invoke(FunctionValue fn, Object[] args, String[] kn, Object[] kv) {
        Frame frame = bind(fn, args, kn, kv);
        if (callDepth >= maxDepth) {
            throw new CnnException("too deep: more than " + maxDepth + " nested calls (endless recursion in "
                    + fn.name() + "?)");
        }
        callDepth++;
        frames.add(frame);
        frame.base = mem.depth();
        int level = mem.enter();
        try {
            int status = Nodes.execBlock(fn.code.body, frame);
            return status == Nodes.RETURN ? frame.returnValue : NoneValue.NONE;
        } finally {
            mem.exit(level);
            frames.remove(frames.size() - 1);
            callDepth--;
        }
    }

    /** Runs a layer's body and returns its frame, which becomes the layer's state. */
    Frame construct(FunctionValue fn, Object[] args, String[] kn, Object[] kv) {
        Frame frame = bind(fn, args, kn, kv);
        for (Object a : args) {
            mem.keep(a);
        }
        callDepth++;
        frames.add(frame);
        frame.base = mem.depth();
        int level = mem.enter();
        try {
            Nodes.execBlock(fn.code.body, frame);
            for (Object v : frame.slots) {
                mem.keep(v);
            }
            return frame;
        } finally {
            mem.exit(level);
            frames.remove(frames.size() - 1);
            callDepth--;
        }
    }

    private Frame bind(FunctionValue fn, Object[] args, String[] kn, Object[] kv) {
        FunctionValue.Code code = fn.code;
        String[] params = code.params;
        if (args.length > params.length) {
            throw new CnnException(fn.name() + "() takes " + params.length + " argument" + (params.length == 1 ? "" : "s")
                    + ", but " + args.length + " were given");
        }
        Frame frame = new Frame(this, code.slotNames.length, fn.closure);
        System.arraycopy(args, 0, frame.slots, 0, args.length);
        for (int k = 0; k < kn.length; k++) {
            int at = -1;
            for (int i = 0; i < params.length; i++) {
                if (params[i].equals(kn[k])) {
                    at = i;
                }
            }
            if (at < 0) {
                throw new CnnException(fn.name() + "() has no parameter named '" + kn[k] + "'; it takes "
                        + fn.signature() + Suggest.hint(kn[k], List.of(params)));
            }
            if (frame.slots[at] != null) {
                throw new CnnException(fn.name() + "() got two values for '" + kn[k] + "'");
            }
            frame.slots[at] = kv[k];
        }
        for (int i = 0; i < params.length; i++) {
            if (frame.slots[i] == null) {
                if (fn.defaults[i] == null) {
                    throw new CnnException(fn.name() + "() is missing its argument '" + params[i] + "'; it takes "
                            + fn.signature());
                }
                frame.slots[i] = fn.defaults[i];
            }
        }
        return frame;
    }

    // ------------------------------------------------------------------ checks at each statement

    void checkpoint(SourceLocation loc) {
        step(loc);
        if (mem.sweepDue()) {
            sweep();
            if (countedBytes > maxNativeBytes) {
                throw error("the script holds " + bytes(countedBytes) + " of tensors; the engine's limit is "
                        + bytes(maxNativeBytes), loc);
            }
        }
    }

    /** Counts one statement or loop iteration against maxStatements, and checks the stop flag. */
    void step(SourceLocation loc) {
        if (stop != 0) {
            throw stopped(loc);
        }
        if (++steps > maxSteps) {
            throw error("stopped: the script ran more than " + maxSteps + " statements (the engine's limit)", loc);
        }
    }

    /** Checks the stop flag between operations (one field read). */
    void checkStopAt(SourceLocation loc) {
        if (stop != 0) {
            throw stopped(loc);
        }
    }

    private CnnException stopped(SourceLocation loc) {
        CnnException e = stopError();
        return loc == null ? e : e.at(loc.file(), loc.line(), loc.column());
    }

    private CnnException stopError() {
        if (stop == STOP_INTERRUPT) {
            // An interrupt stops one script; the session goes on.
            stop = 0;
            return new CnnException("interrupted");
        }
        return new CnnException("stopped: the script ran longer than its time limit of " + (timeoutNanos / 1_000_000)
                + " ms");
    }

    @Override
    public void checkStop() {
        if (stop == 0 && deadline != 0 && System.nanoTime() - deadline > 0) {
            stop = STOP_TIMEOUT;
        }
        if (stop != 0) {
            throw stopError();
        }
    }

    /** Asks the running script to stop at its next statement (Ctrl-C); safe from any thread. */
    public void requestStop() {
        stop = STOP_INTERRUPT;
    }

    /** An interrupt that came while no script ran, for the next one (the embedding API's interrupt()). */
    private final java.util.concurrent.atomic.AtomicBoolean stopPending = new java.util.concurrent.atomic.AtomicBoolean();

    /**
     * As {@link #requestStop()}, and when no script is running, the next eval, run or call
     * stops at its first check (as a Java thread's interrupt flag waits for the next wait):
     * an interrupt sent just before a run starts is not lost. The end of a run clears it.
     */
    public void requestStopOrNext() {
        stopPending.set(true);
        stop = STOP_INTERRUPT;
    }

    /** Frees every stored tensor that no variable, list, layer or running call can reach. */
    public void sweep() {
        // Layers' parameters are freed only between top-level statements: inside a call, a
        // layer may be in flight in an outer expression, where no root can see it.
        mem.sweep(this::roots, callDepth == 0);
        if (maxNativeBytes != Long.MAX_VALUE) {
            // What unchecked operations made (exp, slices, ...) is counted here, at each sweep.
            countedBytes = mem.usage()[1];
        }
    }

    private long maxNativeBytes = Long.MAX_VALUE;
    /** Bytes the engine held at the last count, plus what checked operations made since. */
    private long countedBytes;

    /** The most bytes of tensors the engine may hold at once (no limit by default). */
    public void setMaxNativeBytes(long max) {
        this.maxNativeBytes = max;
    }

    @Override
    public void checkNew(String what, double elements, int bytesPerElement) {
        Runtime.super.checkNew(what, elements, bytesPerElement);
        if (maxNativeBytes == Long.MAX_VALUE) {
            return;
        }
        double more = elements * bytesPerElement;
        if (countedBytes + more > maxNativeBytes) {
            // Near the limit: free what nothing reaches and count exactly.
            mem.sweep(this::roots, false);
            countedBytes = mem.usage()[1];
            if (countedBytes + more > maxNativeBytes) {
                throw new CnnException(what + " would need " + bytes(more) + " more; the engine holds "
                        + bytes(countedBytes) + " and its limit is " + bytes(maxNativeBytes));
            }
        }
        countedBytes += (long) more;
    }

    private static String bytes(double n) {
        return n >= 1 << 20 ? String.format(java.util.Locale.ROOT, "%,.1f MB", n / (1 << 20))
                : String.format(java.util.Locale.ROOT, "%,.0f bytes", n);
    }

    private void roots(Consumer<Object> visit) {
        for (Cell c : globals.values()) {
            visit.accept(c.value);
        }
        for (Frame f : frames) {
            visit.accept(f);
        }
    }

    // ------------------------------------------------------------------ errors

    static CnnException error(String message, SourceLocation loc) {
        return new CnnException(message, loc.file(), loc.line(), loc.column(), null);
    }

    /** Places an error at loc unless it already has a place; turns engine errors into messages. */
    static RuntimeException locate(RuntimeException e, SourceLocation loc) {
        if (e instanceof CnnException c) {
            return c.hasLocation() ? c : c.at(loc.file(), loc.line(), loc.column());
        }
        return new CnnException(describe(e), loc.file(), loc.line(), loc.column(), e);
    }

    /**
     * What a script sees of a bug in cnnscript (a Java exception no check turned into a message):
     * no Java class names or texts, which may hold the host's paths; the exception stays the
     * CnnException's cause, which --debug prints and an embedder can read.
     */
    public static final String INTERNAL_ERROR = "internal error -- please report it (the details: run with --debug, "
            + "or see the exception's cause)";

    private static String describe(RuntimeException e) {
        if (e.getMessage() == null || e.getMessage().isBlank()) {
            return INTERNAL_ERROR; // nothing to say but the Java class's name
        }
        if (e instanceof EngineException) {
            return Errors.firstLine(e);
        }
        if (e instanceof ArithmeticException) {
            return "arithmetic error: " + Errors.firstLine(e);
        }
        if (e instanceof IllegalArgumentException || e instanceof UnsupportedOperationException) {
            return Errors.firstLine(e);
        }
        return INTERNAL_ERROR;
    }

    CnnException undefined(String name, SourceLocation loc) {
        List<String> known = new ArrayList<>();
        for (Cell c : globals.values()) {
            if (c.value != null) {
                known.add(c.name);
            }
        }
        String habit = io.cnnscript.lib.PythonHabits.forName(name);
        return error("'" + name + "' is not defined" + (habit.isEmpty() ? Suggest.hint(name, known) : habit), loc);
    }

    // ------------------------------------------------------------------ Runtime

    @Override
    public NDManager scope() {
        return mem.scope();
    }

    @Override
    public NDManager newOwnedManager() {
        return mem.heldManager();
    }

    private final java.util.Map<Class<?>, Object> engineState = new java.util.concurrent.ConcurrentHashMap<>();

    @Override
    public <T> T engineState(Class<T> key, java.util.function.Supplier<T> make) {
        return key.cast(engineState.computeIfAbsent(key, k -> make.get()));
    }

    @Override
    public NDManager newOwnedManager(Object owner, long bytes) {
        return mem.ownedManager(owner, bytes);
    }

    @Override
    public ai.djl.ndarray.NDScope scratch() {
        return mem.scratch();
    }

    @Override
    public Object adopt(Object result, Object... inputs) {
        return mem.adopt(result, inputs);
    }

    @Override
    public void keep(Object value) {
        mem.keep(value);
    }

    @Override
    public PrintWriter out() {
        return out;
    }

    @Override
    public PrintWriter err() {
        return err;
    }

    public void setOut(PrintWriter out) {
        this.out = out;
    }

    public void setErr(PrintWriter err) {
        this.err = err;
    }

    private io.cnnscript.value.Display display;

    /** Gives echoed values and pictures to a front end's display (Jupyter) instead of out. */
    public void setDisplay(io.cnnscript.value.Display display) {
        this.display = display;
    }

    @Override
    public io.cnnscript.value.Display display() {
        return display;
    }

    private java.util.function.IntSupplier terminalWidth = () -> 0;

    /**
     * Says that out() shows on a terminal of this many columns (asked at each use; 0: not a
     * terminal), so that train() draws its progress bar there. Unset, nothing is redrawn.
     */
    public void setTerminalWidth(java.util.function.IntSupplier columns) {
        this.terminalWidth = columns == null ? () -> 0 : columns;
    }

    @Override
    public int terminalWidth() {
        return terminalWidth.getAsInt();
    }

    @Override
    public Object call(Object callable, Object... args) {
        if (!(callable instanceof Callable c)) {
            throw new CnnException(Values.aTypeName(callable) + " cannot be called");
        }
        return c.call(this, args, NO_NAMES, NO_VALUES);
    }

    private static final String[] NO_NAMES = new String[0];
    private static final Object[] NO_VALUES = new Object[0];

    @Override
    public Random random() {
        return random;
    }

    @Override
    public void seed(long seed) {
        random.setSeed(seed);
        stream.seed(seed);
    }

    /** This engine's share of libtorch's random generator. */
    private final RandomStream stream = new RandomStream();

    @Override
    public <T> T drawRandom(long elements, java.util.function.Supplier<T> draw,
            java.util.function.Consumer<NDManager> replay) {
        return stream.draw(elements, draw, replay);
    }

    private volatile boolean autograd;

    @Override
    public void noteAutograd() {
        autograd = true;
    }

    @Override
    public boolean autogradInUse() {
        return autograd;
    }

    @Override
    public Path checkPath(String path, boolean write) {
        return paths.check(Path.of(FilePolicy.expandHome(path)), write);
    }

    // ------------------------------------------------------------------ settings and inspection

    public void setPathPolicy(PathPolicy policy) {
        this.paths = policy;
    }

    public void setMaxStatements(long max) {
        this.maxSteps = max;
    }

    public void setTimeoutNanos(long nanos) {
        this.timeoutNanos = nanos;
    }

    /**
     * Whether echoed values are printed (the REPL) or only stored in {@code _} (the embedding
     * API, whose eval returns the last value).
     */
    public void setEchoPrinting(boolean print) {
        this.echoPrints = print;
    }

    private long maxTensorElements = DEFAULT_MAX_TENSOR_ELEMENTS;

    @Override
    public long maxTensorElements() {
        return maxTensorElements;
    }

    /** The most elements one new tensor may have (2^31 by default). */
    public void setMaxTensorElements(long max) {
        this.maxTensorElements = max;
    }

    public void setMaxDepth(int depth) {
        this.maxDepth = depth;
    }

    /** The value of a global, or null when it has none. */
    public Object get(String name) {
        Cell c = globals.get(name);
        return c == null ? null : c.value;
    }

    /** Sets a global; tensors must belong to this interpreter's manager tree or be copied first. */
    public void set(String name, Object value) {
        mem.keep(value);
        cell(name).value = value;
    }

    /** Global names with values, built-ins included. */
    public List<String> names() {
        List<String> out = new ArrayList<>();
        for (Cell c : globals.values()) {
            if (c.value != null) {
                out.add(c.name);
            }
        }
        return out;
    }

    /** Variables the user made (not built-ins, unless reassigned). */
    public Map<String, Object> userVariables() {
        Map<String, Object> builtins = builtinValues;
        Map<String, Object> out = new LinkedHashMap<>();
        for (Cell c : globals.values()) {
            // A name starting with $ is the parser's own (a for loop's tuple before it is taken apart).
            if (c.value != null && builtins.get(c.name) != c.value && !c.name.startsWith("$")) {
                out.put(c.name, c.value);
            }
        }
        return out;
    }


    /** Native arrays held by this interpreter and their bytes: {count, bytes}. */
    public long[] memoryUsage() {
        return mem.usage();
    }

    @Override
    public void close() {
        stream.release();
        java.util.concurrent.ExecutorService w;
        synchronized (this) {
            w = worker;
            worker = null;
        }
        if (w != null) {
            // Free native memory on the thread that used it, then let the thread go.
            w.submit(mem::close);
            w.shutdown();
            try {
                w.awaitTermination(1, java.util.concurrent.TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        } else {
            mem.close();
        }
    }
}
