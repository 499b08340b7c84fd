package io.cnnscript.api;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.cnnscript.error.CnnException;
import io.cnnscript.interp.FilePolicy;
import io.cnnscript.interp.Interpreter;
import io.cnnscript.lib.Builtin;
import io.cnnscript.lib.Errors;
import io.cnnscript.lib.HostTensors;
import io.cnnscript.value.Callable;
import io.cnnscript.value.Runtime;
import io.cnnscript.value.Tuple;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * cnnscript inside a Java program.
 *
 * <pre>{@code
 * try (CnnEngine engine = CnnEngine.builder().out(writer).build()) {
 *     engine.set("X", new float[][] {{0, 1, 2}, {3, 4, 5}, {6, 7, 8}});
 *     engine.eval("Y = corr2d(X, tensor[[0, 1], [2, 3]])");
 *     float[] y = ((NDArray) engine.get("Y")).toFloatArray();
 * }
 * }</pre>
 *
 * <p><b>Isolation.</b> Each engine has its own variables and its own native memory (an
 * {@link NDManager} tree); nothing is shared between engines but the read-only built-ins. Each
 * engine has its own random stream (seed(n) in one does not move another's numbers) and its own
 * copy of the built-in layers.
 *
 * <p><b>Memory.</b> {@link #close()} frees every native array the engine made. Tensors handed to
 * the host ({@link #get}, and the results of {@link #eval}, {@link #call} and
 * {@link CnnScript#run()}) are copies that belong to the host, not to the engine: the engine does
 * not hold or count them, and they stay valid after it closes. Each is freed by its close() (an
 * {@link NDArray} is AutoCloseable) or, when the host drops it without closing it, once the
 * garbage collector finds that nothing reaches it (the bytes of such copies are counted, and a
 * collection is asked for when they pass 64 MB, so they stay bounded). {@link #get(String, NDManager)} and
 * {@link #getTensor} copy into a manager you own instead; {@link #getDouble}, {@link #getLong}
 * and {@link #getFloats} read numbers and keep nothing. Tensors given to {@link #set} are
 * copied: yours stay yours.
 *
 * <p><b>Threads.</b> An engine may be shared between threads: every method takes the engine's
 * lock, so one call runs at a time and the others wait. For parallel work use one engine per
 * thread; engines do not block one another. {@link #interrupt()} does not wait for the lock.
 *
 * <p><b>Errors.</b> Every error a script causes (syntax, runtime, limits, interruption) is a
 * {@link CnnException} with the file, line and column. Misuse from Java (a value that has no
 * script equivalent, a closed engine) is an IllegalArgumentException or IllegalStateException.
 */
public final class CnnEngine implements AutoCloseable {

    static {
        Interpreter.offlineUnlessAsked(); // before the first NDManager: no network unless the host asks
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final Interpreter interp;
    private final List<Builtin> hostFunctions = new ArrayList<>();
    private boolean closed;

    /** Frees an engine that was never closed once it is unreachable (the action holds no reference to it). */
    private static final java.lang.ref.Cleaner CLEANER = java.lang.ref.Cleaner.create();
    private final java.lang.ref.Cleaner.Cleanable cleanable;

    private CnnEngine(Builder b) {
        NDManager root;
        try {
            root = NDManager.newBaseManager();
        } catch (RuntimeException | UnsatisfiedLinkError e) {
            throw new CnnException("the tensor engine (PyTorch) could not start: " + Errors.firstLine(e), e);
        }
        this.interp = new Interpreter(root, b.out, b.err);
        interp.setEchoPrinting(false);
        this.settings = new Builder(b);
        applyLimits(settings);
        Interpreter owned = interp;
        this.cleanable = CLEANER.register(this, owned::close);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The settings the engine was built with; {@link #configure} starts from them. */
    private final Builder settings;

    /** Sets every limit and the file policy from b, defaults included (so that a reconfigure can undo one). */
    private void applyLimits(Builder b) {
        interp.setTimeoutNanos(b.timeout == null ? 0 : b.timeout.toNanos());
        interp.setMaxStatements(b.maxStatements > 0 ? b.maxStatements : Long.MAX_VALUE);
        interp.setMaxDepth(b.maxDepth > 0 ? b.maxDepth : Interpreter.DEFAULT_MAX_DEPTH);
        interp.setMaxTensorElements(b.maxTensorElements > 0 ? b.maxTensorElements : Interpreter.DEFAULT_MAX_TENSOR_ELEMENTS);
        interp.setMaxNativeBytes(b.maxNativeBytes > 0 ? b.maxNativeBytes : Long.MAX_VALUE);
        interp.setPathPolicy(b.fileRoot == null ? FilePolicy.none() : FilePolicy.under(List.of(b.fileRoot)));
    }

    /**
     * Changes the limits and file access for the evals, runs and calls from now on: {@code change}
     * gets a builder holding the settings the engine was built with (not those of an earlier
     * configure) and sets what should differ, as at build time; {@code b -> b} goes back to the
     * built settings. The writers ({@link #setOut}, {@link #setErr}) are not changed. JSR-223's
     * {@code cnnscript.*} context attributes use it.
     */
    public void configure(java.util.function.UnaryOperator<Builder> change) {
        lock.lock();
        try {
            checkOpen();
            Builder b = change.apply(new Builder(settings));
            applyLimits(b == null ? settings : b);
        } finally {
            lock.unlock();
        }
    }

    /** Settings of a new engine; every one is optional. */
    public static final class Builder {
        private PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true);
        private PrintWriter err = new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
        private Duration timeout;
        private long maxStatements;
        private int maxDepth;
        private Path fileRoot;
        private long maxTensorElements;
        private long maxNativeBytes;

        private Builder() {}

        private Builder(Builder o) {
            this.out = o.out;
            this.err = o.err;
            this.timeout = o.timeout;
            this.maxStatements = o.maxStatements;
            this.maxDepth = o.maxDepth;
            this.fileRoot = o.fileRoot;
            this.maxTensorElements = o.maxTensorElements;
            this.maxNativeBytes = o.maxNativeBytes;
        }

        /** Where print() writes (System.out by default). */
        public Builder out(Writer out) {
            this.out = printWriter(out);
            return this;
        }

        /** Where warnings and notes go (System.err by default). */
        public Builder err(Writer err) {
            this.err = printWriter(err);
            return this;
        }

        /** Stops each eval, run or call that takes longer, with a CnnException. */
        public Builder timeout(Duration timeout) {
            this.timeout = timeout;
            return this;
        }

        /** Stops each eval, run or call that runs more statements, with a CnnException. */
        public Builder maxStatements(long max) {
            this.maxStatements = max;
            return this;
        }

        /** The deepest nesting of script calls (800 by default). */
        public Builder maxDepth(int depth) {
            this.maxDepth = depth;
            return this;
        }

        /**
         * Lets scripts read and write files under this folder only (relative paths start there):
         * save, load, log=, data loading and plot refuse paths that leave it, by "..", by an
         * absolute path or through a symbolic link. Without it (or with null), scripts have no
         * file access.
         */
        public Builder allowFiles(Path root) {
            this.fileRoot = root;
            return this;
        }

        /**
         * The most elements one new tensor may have (2^31 by default). Creators, operations
         * (broadcasts, matrix products, stack, cat), layers' parameters and layers' outputs are
         * checked before any memory is taken.
         */
        public Builder maxTensorElements(long max) {
            this.maxTensorElements = max;
            return this;
        }

        /**
         * The most bytes of tensors the engine may hold at once (no limit by default). A new
         * tensor that would pass it stops the script with a CnnException; the engine counts what
         * it holds exactly when it comes near the limit, and at every sweep.
         */
        public Builder maxNativeBytes(long max) {
            this.maxNativeBytes = max;
            return this;
        }

        /**
         * Makes the engine. The first engine in a JVM loads the native tensor engine (a second or
         * so); later ones are quick.
         */
        public CnnEngine build() {
            return new CnnEngine(this);
        }
    }

    private static PrintWriter printWriter(Writer w) {
        return w instanceof PrintWriter p ? p : new PrintWriter(w, true);
    }

    // ------------------------------------------------------------------ running

    /**
     * Runs source text and returns the value of its last expression statement, converted as
     * {@link #get} converts values (null when there is none). The value is also kept in {@code _}.
     */
    public Object eval(String source) {
        return eval(source, "<eval>");
    }

    /** As {@link #eval(String)}, with the file name that errors show. */
    public Object eval(String source, String fileName) {
        lock.lock();
        try {
            checkOpen();
            return run(() -> interp.eval(source, fileName, true));
        } finally {
            lock.unlock();
        }
    }

    /** Runs a script file; errors name the file. */
    public Object eval(Path file) {
        return eval(read(file), file.toString());
    }

    /** Parses and checks a script once, to run many times with {@link CnnScript#run()}. */
    public CnnScript compile(String source) {
        return compile(source, "<script>");
    }

    /** As {@link #compile(String)}, with the file name that errors show. */
    public CnnScript compile(String source, String fileName) {
        lock.lock();
        try {
            checkOpen();
            return new CnnScript(this, interp.compile(source, fileName, true), fileName);
        } catch (CnnException e) {
            throw e;
        } catch (RuntimeException e) {
            throw internal(e);
        } finally {
            lock.unlock();
        }
    }

    /** Parses and checks a script file once. */
    public CnnScript compile(Path file) {
        return compile(read(file), file.toString());
    }

    Object run(Runnable code) {
        lock.lock();
        try {
            checkOpen();
            interp.set("_", null);
            code.run();
            return JavaValues.toJava(interp.get("_"), null);
        } catch (CnnException e) {
            throw e;
        } catch (RuntimeException e) {
            throw internal(e);
        } finally {
            lock.unlock();
        }
    }

    private static CnnException internal(RuntimeException e) {
        return new CnnException(Interpreter.INTERNAL_ERROR, e); // no Java class names; the details are the cause
    }

    /** A script file's text; errors name the file as the host gave it and say why in words. */
    private static String read(Path file) {
        if (Files.isDirectory(file)) {
            throw new CnnException(file + ": cannot read it: it is a folder, not a file");
        }
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new CnnException(file + ": no such file");
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new CnnException(file + ": cannot read it: it is not UTF-8 text", e);
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new CnnException(file + ": cannot read it: " + Errors.ioReason(e), e);
        }
    }

    /**
     * Calls a script function (or a built-in, or a layer) by name with Java arguments,
     * converted as {@link #set} converts them; the result comes back as {@link #get} gives it.
     * The function value is called directly (nothing is parsed), on the engine's thread and
     * under its limits; an error inside the function names its place in the function's source.
     */
    public Object call(String function, Object... args) {
        checkName(function);
        lock.lock();
        try {
            checkOpen();
            Object f = interp.get(function);
            if (!(f instanceof Callable)) {
                throw new CnnException(f == null ? "'" + function + "' is not defined"
                        : "'" + function + "' is not a function");
            }
            return interp.callFromHost(f, scope -> {
                Object[] converted = new Object[args.length];
                for (int i = 0; i < args.length; i++) {
                    converted[i] = JavaValues.toScript(args[i], scope);
                    HostTensors.admit(interp, converted[i]);
                }
                return converted;
            }, r -> JavaValues.toJava(r, null));
        } catch (CnnException | IllegalArgumentException | IllegalStateException e) {
            throw e;
        } catch (RuntimeException e) {
            throw internal(e);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Asks the running eval, run or call to stop at its next statement or operation; safe from
     * any thread. Like a Java thread's interrupt flag, it is not lost when nothing runs yet: an
     * interrupt sent while the engine is idle stops the next eval, run or call at its start
     * ("interrupted"), and only that one. The end of a run clears it, so an interrupt that comes
     * while a run ends does not stop the run after.
     */
    public void interrupt() {
        interp.requestStopOrNext();
    }

    // ------------------------------------------------------------------ variables

    /**
     * Sets a script variable. Java values become script values: an {@link NDArray} is copied;
     * rectangular arrays of primitives become tensors of that type (float[][] is float32,
     * double[] float64, int[] int32, long[] int64, byte[] int8, boolean[] bool, as torch.tensor
     * makes them; short[] int32, since there is no int16 tensor); a char[] becomes a string (char[][] a list of strings); int, long, short
     * and byte become ints; float and double become floats; String, Boolean; a List or an
     * Object[] becomes a list of converted items; null becomes none. Values that {@link #get}
     * returned as they are (functions, layers) may be set back into the same engine.
     *
     * @throws IllegalArgumentException for a Java type with no script equivalent
     */
    public void set(String name, Object value) {
        checkName(name);
        lock.lock();
        try {
            checkOpen();
            Object v = JavaValues.toScript(value, interp.scope());
            HostTensors.admit(interp, v);
            interp.set(name, v);
        } finally {
            lock.unlock();
        }
    }

    /**
     * The value of a script variable as a Java value: Long, Double, Boolean, String, a List (for
     * lists and tuples, converted item by item), an {@link NDArray} (a copy that belongs to you:
     * in no manager, not held by the engine, valid after it closes; freed by its close(), or once
     * nothing reaches it), null for
     * none or for a name with no value; functions and layers come back as they are, good for
     * passing back to this engine.
     */
    public Object get(String name) {
        lock.lock();
        try {
            checkOpen();
            return JavaValues.toJava(interp.get(name), null);
        } finally {
            lock.unlock();
        }
    }

    /** As {@link #get(String)}, but tensors are copied into a manager the caller owns (null: as get(name)). */
    public Object get(String name, NDManager into) {
        lock.lock();
        try {
            checkOpen();
            return JavaValues.toJava(interp.get(name), into);
        } finally {
            lock.unlock();
        }
    }

    /**
     * A number variable as a double: an int, a float, or a tensor of one element (such as
     * {@code X.sum()}), read without keeping a copy.
     *
     * @throws IllegalArgumentException if the variable is missing or not a number
     */
    public double getDouble(String name) {
        return ((Number) typed(name, "a number", v -> v instanceof Long || v instanceof Double
                || v instanceof java.math.BigInteger ? ((Number) v).doubleValue()
                : v instanceof NDArray a && a.size() == 1 && !a.getDataType().isBoolean()
                        ? a.toType(ai.djl.ndarray.types.DataType.FLOAT64, false).toDoubleArray()[0] : null)).doubleValue();
    }

    /**
     * An int variable as a long: an int, or an integer tensor of one element.
     *
     * @throws IllegalArgumentException if the variable is missing, not an int, or too large
     */
    public long getLong(String name) {
        return (Long) typed(name, "an int", v -> v instanceof Long l ? l
                : v instanceof NDArray a && a.size() == 1 && a.getDataType().isInteger()
                        ? a.toType(ai.djl.ndarray.types.DataType.INT64, false).toLongArray()[0] : null);
    }

    /**
     * A tensor, a number or a list of numbers as float32 values (a tensor flattened in row-major
     * order), read without keeping a copy.
     *
     * @throws IllegalArgumentException if the variable is missing or holds something else
     */
    public float[] getFloats(String name) {
        return (float[]) typed(name, "a tensor or a list of numbers", CnnEngine::floats);
    }

    private static float[] floats(Object v) {
        if (v instanceof NDArray a) {
            return a.getDataType() == ai.djl.ndarray.types.DataType.FLOAT32 ? a.toFloatArray()
                    : a.toType(ai.djl.ndarray.types.DataType.FLOAT32, false).toFloatArray();
        }
        if (v instanceof Long || v instanceof Double) {
            return new float[] {((Number) v).floatValue()};
        }
        List<Object> items = v instanceof io.cnnscript.value.PyList l ? l.items()
                : v instanceof Tuple t ? t.asList() : null;
        if (items == null) {
            return null;
        }
        float[] out = new float[items.size()];
        for (int i = 0; i < out.length; i++) {
            if (!(items.get(i) instanceof Long || items.get(i) instanceof Double)) {
                return null;
            }
            out[i] = ((Number) items.get(i)).floatValue();
        }
        return out;
    }

    /**
     * A tensor variable, copied into a manager the caller owns (close the manager, or the
     * array, when done).
     *
     * @throws IllegalArgumentException if the variable is missing or not a tensor
     */
    public NDArray getTensor(String name, NDManager into) {
        return (NDArray) typed(name, "a tensor", v -> v instanceof NDArray a ? JavaValues.copy(a, into) : null);
    }

    private Object typed(String name, String what, java.util.function.Function<Object, Object> read) {
        lock.lock();
        try {
            checkOpen();
            Object v = interp.get(name);
            Object out = v == null ? null : interp.onWorker(() -> read.apply(v));
            if (out == null) {
                throw new IllegalArgumentException("'" + name + "' is " + (v == null ? "not defined"
                        : io.cnnscript.value.Values.aTypeName(v) + (v instanceof NDArray a ? " of shape "
                                + io.cnnscript.value.TensorFormat.shape(a.getShape()) : ""))
                        + ", not " + what);
            }
            return out;
        } finally {
            lock.unlock();
        }
    }

    /** Whether the name has a value (a variable, a function or a built-in). */
    public boolean has(String name) {
        lock.lock();
        try {
            checkOpen();
            return interp.get(name) != null;
        } finally {
            lock.unlock();
        }
    }

    /** Removes a variable; a built-in of that name comes back. */
    public void remove(String name) {
        lock.lock();
        try {
            checkOpen();
            interp.set(name, interp.builtin(name));
        } finally {
            lock.unlock();
        }
    }

    /** The names of the variables scripts and set() made (not built-ins, not {@code _}). */
    public Set<String> variables() {
        lock.lock();
        try {
            checkOpen();
            Set<String> names = new LinkedHashSet<>(interp.userVariables().keySet());
            names.remove("_");
            return Collections.unmodifiableSet(names);
        } finally {
            lock.unlock();
        }
    }

    // ------------------------------------------------------------------ host functions

    /**
     * Makes a Java function callable from scripts. {@code name} is a bare name (the function
     * takes any number of arguments) or a signature such as {@code "scale(x, by=2.0)"}, which
     * gives keyword arguments and defaults; doc is its help text ({@link #help}).
     */
    public void define(String name, String doc, HostFunction function) {
        String signature = name.contains("(") ? name.strip() : name.strip() + "(*args)";
        String bare = signature.substring(0, signature.indexOf('('));
        checkName(bare);
        // f(*args): the function gets the arguments themselves; otherwise one value per parameter
        java.util.regex.Matcher only = java.util.regex.Pattern.compile("[A-Za-z_][A-Za-z_0-9]*\\(\\s*\\*(\\w+)\\s*\\)").matcher(signature);
        String rest = only.matches() ? only.group(1) : null;
        Builtin builtin = Builtin.lasting("host functions", signature, doc == null ? "" : doc,
                (rt, a) -> callHost(rt, bare, function, rest != null ? a.rest(rest).asList() : a.inDeclaredOrder()));
        lock.lock();
        try {
            checkOpen();
            hostFunctions.removeIf(b -> b.name().equals(bare));
            hostFunctions.add(builtin);
            interp.set(bare, builtin);
        } finally {
            lock.unlock();
        }
    }

    /** Calls a host function; its tensors live in a manager of the call's own, closed after it. */
    private static Object callHost(Runtime rt, String name, HostFunction function, List<Object> args) {
        try (NDManager call = rt.scope().newSubManager()) {
            List<Object> javaArgs = new ArrayList<>(args.size());
            for (Object a : args) {
                javaArgs.add(JavaValues.toJava(a, call));
            }
            Object result;
            try {
                result = function.apply(Collections.unmodifiableList(javaArgs));
            } catch (CnnException e) {
                throw e;
            } catch (RuntimeException e) {
                // The host's message, without its Java class names; the exception is the cause.
                String m = e.getMessage() == null || e.getMessage().isBlank() ? "" : ": " + Errors.firstLine(e);
                throw new CnnException("host function " + name + "() failed" + m, e);
            }
            Object value;
            if (result instanceof NDArray a && a.getManager() == call) {
                a.attach(rt.scope());
                value = a;
            } else {
                value = JavaValues.toScript(result, rt.scope());
            }
            HostTensors.admit(rt, value);
            return value;
        }
    }

    /**
     * The help text of a built-in or a host function: its signature and its doc, as the REPL's
     * :help shows it; null when there is none by that name.
     */
    public String help(String name) {
        lock.lock();
        try {
            List<Builtin> all = new ArrayList<>(hostFunctions);
            all.addAll(interp.library().documented());
            for (Builtin b : all) {
                if (b.name().equals(name)) {
                    return b.signature().text() + "\n    " + b.doc();
                }
            }
            return null;
        } finally {
            lock.unlock();
        }
    }

    // ------------------------------------------------------------------ output and lifetime

    /** Sends print() output to another writer from now on. */
    public void setOut(Writer out) {
        lock.lock();
        try {
            interp.setOut(printWriter(out));
        } finally {
            lock.unlock();
        }
    }

    /** Sends warnings and notes to another writer from now on. */
    public void setErr(Writer err) {
        lock.lock();
        try {
            interp.setErr(printWriter(err));
        } finally {
            lock.unlock();
        }
    }

    /** Native arrays this engine holds and their bytes: {count, bytes}. */
    public long[] memoryUsage() {
        lock.lock();
        try {
            checkOpen();
            interp.sweep();
            return interp.memoryUsage();
        } finally {
            lock.unlock();
        }
    }

    public boolean isClosed() {
        lock.lock();
        try {
            return closed;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Frees the engine's native memory: every tensor it made (not those it handed to the host,
     * which are the host's). A script running in another thread is asked to stop first.
     */
    @Override
    public void close() {
        interp.requestStop();
        lock.lock();
        try {
            if (!closed) {
                closed = true;
                cleanable.clean(); // interp.close(), once
            }
        } finally {
            lock.unlock();
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("this CnnEngine is closed");
        }
    }

    private static void checkName(String name) {
        if (name == null || !name.matches("[A-Za-z_][A-Za-z_0-9]*")) {
            throw new IllegalArgumentException("'" + name + "' is not a cnnscript name (letters, digits and _, "
                    + "not starting with a digit)");
        }
    }
}
