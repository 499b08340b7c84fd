package io.cnnscript.api.jsr223;

import io.cnnscript.lib.HostCopies;
import io.cnnscript.api.CnnEngine;
import io.cnnscript.error.CnnException;
import io.cnnscript.api.CnnScript;
import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.lang.ref.Cleaner;
import java.lang.reflect.Proxy;
import java.util.Map;
import javax.script.AbstractScriptEngine;
import javax.script.Bindings;
import javax.script.Compilable;
import javax.script.CompiledScript;
import javax.script.Invocable;
import javax.script.ScriptContext;
import javax.script.ScriptEngine;
import javax.script.ScriptEngineFactory;
import javax.script.ScriptException;
import javax.script.SimpleBindings;

/**
 * cnnscript as a JSR-223 engine, over one {@link CnnEngine}. The default ENGINE_SCOPE
 * bindings are the script variables themselves; other Bindings passed to eval are copied in
 * before and the variables copied back after. GLOBAL_SCOPE names are visible to scripts. print
 * writes to the context's writer, warnings to its error writer. Script errors are
 * ScriptExceptions with file, line and column, caused by the {@link CnnException}.
 *
 * <p>{@link #close()} frees the native memory at once; an engine that is dropped without it is
 * freed when it is garbage-collected.
 */
public final class CnnScriptEngine extends AbstractScriptEngine implements Compilable, Invocable, AutoCloseable {

    private static final Cleaner CLEANER = Cleaner.create();

    private final CnnScriptEngineFactory factory;
    private final CnnEngine engine;
    /**
     * The tensors this engine hands to the host (eval's and invokeFunction's results, values read
     * from Bindings): JSR-223 hosts do not close what they get, so they belong to the script
     * engine and are freed when it closes (or is collected), or each once nothing reaches it; they
     * are not counted in the CnnEngine.
     */
    private final HostCopies values;
    private final Cleaner.Cleanable cleanable;

    CnnScriptEngine(CnnScriptEngineFactory factory) {
        this.factory = factory;
        this.engine = factory.newEngine();
        this.values = HostCopies.newOwner();
        CnnEngine owned = engine;
        HostCopies ownedValues = values;
        this.cleanable = CLEANER.register(this, () -> {
            owned.close();
            ownedValues.close();
        });
        context.setBindings(new CnnBindings(engine, values), ScriptContext.ENGINE_SCOPE);
    }

    /** Makes the tensors in a value the CnnEngine handed out (the host's) this engine's {@link #values}. */
    private Object adopt(Object v) {
        return values.claim(v);
    }

    /**
     * Engines for Bindings other than the engine's own: each Bindings object is a variable set of
     * its own, so it gets a CnnEngine of its own (freed when the Bindings is collected or this
     * engine closes). Nothing one Bindings' scripts define is seen by another's.
     */
    private record Other(java.lang.ref.WeakReference<Bindings> bindings, CnnEngine engine) {}

    /** By identity (a Bindings is a Map: equal contents are still two variable sets); few in practice. */
    private final java.util.List<Other> others = new java.util.ArrayList<>();

    private CnnEngine engineFor(Bindings scope) {
        if (scope == null || scope instanceof CnnBindings b && b.engine() == engine) {
            return engine;
        }
        synchronized (others) {
            CnnEngine found = closeUnreached(scope);
            if (found == null && others.size() >= othersLimit) {
                // The collector does not see the native memory behind a dropped Bindings' engine, and
                // may not run while they pile up: ask for a collection, then close what it let go.
                System.gc();
                found = closeUnreached(scope);
                othersLimit = Math.max(OTHERS_FLOOR, 2 * others.size());
            }
            if (found == null) {
                found = factory.newEngine();
                others.add(new Other(new java.lang.ref.WeakReference<>(scope), found));
            }
            return found;
        }
    }

    /** Engines of other Bindings that may live before a collection is asked for, at least. */
    private static final int OTHERS_FLOOR = 32;
    /** Twice the engines of other Bindings still reached at the last collection, at least {@link #OTHERS_FLOOR}. */
    private int othersLimit = OTHERS_FLOOR;

    /** Closes the engines whose Bindings is gone; the engine of {@code scope}, or null. */
    private CnnEngine closeUnreached(Bindings scope) {
        CnnEngine found = null;
        for (java.util.Iterator<Other> it = others.iterator(); it.hasNext();) {
            Other o = it.next();
            Bindings b = o.bindings().get();
            if (b == null) {
                o.engine().close(); // its Bindings is gone
                it.remove();
            } else if (b == scope) {
                found = o.engine();
            }
        }
        return found;
    }

    /** Context attribute: the time limit of each eval, a Duration or milliseconds (a Number, or a String such as "2000" or "PT2S"). */
    public static final String TIMEOUT = "cnnscript.timeout";
    /** Context attribute: the most statements each eval may run (a Number or a String of digits). */
    public static final String MAX_STATEMENTS = "cnnscript.maxStatements";
    /** Context attribute: the deepest nesting of script calls. */
    public static final String MAX_DEPTH = "cnnscript.maxDepth";
    /** Context attribute: the most elements one new tensor may have. */
    public static final String MAX_TENSOR_ELEMENTS = "cnnscript.maxTensorElements";
    /** Context attribute: the most bytes of tensors the engine may hold. */
    public static final String MAX_NATIVE_BYTES = "cnnscript.maxNativeBytes";
    /** Context attribute: the folder scripts may read and write (a Path, a File or a String); "" means none. */
    public static final String ALLOW_FILES = "cnnscript.allowFiles";

    /**
     * The limits of one eval: the factory's settings, each replaced by the context attribute of
     * its name when the eval's context (or else this engine's own context) has one.
     */
    private void configure(CnnEngine target, ScriptContext ctx) {
        Object timeout = attribute(ctx, TIMEOUT);
        Object statements = attribute(ctx, MAX_STATEMENTS);
        Object depth = attribute(ctx, MAX_DEPTH);
        Object elements = attribute(ctx, MAX_TENSOR_ELEMENTS);
        Object bytes = attribute(ctx, MAX_NATIVE_BYTES);
        Object files = attribute(ctx, ALLOW_FILES);
        java.time.Duration limit = timeout == null ? null : duration(timeout);
        long maxStatements = statements == null ? 0 : number(MAX_STATEMENTS, statements);
        long maxDepth = depth == null ? 0 : number(MAX_DEPTH, depth);
        long maxElements = elements == null ? 0 : number(MAX_TENSOR_ELEMENTS, elements);
        long maxBytes = bytes == null ? 0 : number(MAX_NATIVE_BYTES, bytes);
        java.nio.file.Path root = files == null ? null : folder(files);
        if (maxDepth > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(MAX_DEPTH + " is too large: " + maxDepth);
        }
        target.configure(b -> {
            if (limit != null) {
                b.timeout(limit);
            }
            if (statements != null) {
                b.maxStatements(maxStatements);
            }
            if (depth != null) {
                b.maxDepth((int) maxDepth);
            }
            if (elements != null) {
                b.maxTensorElements(maxElements);
            }
            if (bytes != null) {
                b.maxNativeBytes(maxBytes);
            }
            if (files != null) {
                b.allowFiles(root);
            }
            return b;
        });
    }

    private Object attribute(ScriptContext ctx, String name) {
        Object v = ctx.getAttribute(name);
        return v == null && ctx != context ? context.getAttribute(name) : v;
    }

    private static java.time.Duration duration(Object v) {
        if (v instanceof java.time.Duration d) {
            return d;
        }
        if (v instanceof String s && s.strip().toUpperCase(java.util.Locale.ROOT).startsWith("PT")) {
            try {
                return java.time.Duration.parse(s.strip());
            } catch (java.time.format.DateTimeParseException e) {
                // said below
            }
        }
        try {
            return java.time.Duration.ofMillis(number(TIMEOUT, v));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(TIMEOUT + " must be a Duration or a number of milliseconds, not "
                    + (v instanceof String s ? "'" + s + "'" : v.getClass().getSimpleName() + " " + v));
        }
    }

    private static long number(String name, Object v) {
        if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
            return ((Number) v).longValue();
        }
        if (v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue()) && Math.abs(n.doubleValue()) < 9e18) {
            return n.longValue();
        }
        if (v instanceof String s && s.strip().matches("-?\\d{1,18}")) {
            return Long.parseLong(s.strip());
        }
        throw new IllegalArgumentException(name + " must be a whole number, not " + (v instanceof String s ? "'" + s + "'"
                : v.getClass().getSimpleName() + " " + v));
    }

    private static java.nio.file.Path folder(Object v) {
        if (v instanceof java.nio.file.Path p) {
            return p;
        }
        if (v instanceof java.io.File f) {
            return f.toPath();
        }
        if (v instanceof String s) {
            return s.isBlank() ? null : java.nio.file.Path.of(s);
        }
        throw new IllegalArgumentException(ALLOW_FILES + " must be a Path, a File or a String, not "
                + v.getClass().getSimpleName());
    }

    /** The engine underneath, for the embedding API's own methods (compile, define, get with a manager). */
    public CnnEngine engine() {
        return engine;
    }

    @Override
    public Object eval(String script, ScriptContext ctx) throws ScriptException {
        String file = ctx.getAttribute(ScriptEngine.FILENAME) instanceof String s ? s : "<script>";
        return inContext(ctx, e -> e.eval(script, file));
    }

    @Override
    public Object eval(Reader reader, ScriptContext ctx) throws ScriptException {
        return eval(read(reader), ctx);
    }

    private static String read(Reader reader) throws ScriptException {
        StringWriter w = new StringWriter();
        try {
            reader.transferTo(w);
        } catch (IOException e) {
            throw new ScriptException(e);
        }
        return w.toString();
    }

    /**
     * What an eval needs from a context: its writers, its variables in, and the variables back
     * out. The engine's own bindings are its variables; any other Bindings runs in an engine of
     * its own (see {@link #engineFor}), its entries set before and its variables copied back after.
     */
    private Object inContext(ScriptContext ctx, ScriptBody body) throws ScriptException {
        Bindings scope = ctx.getBindings(ScriptContext.ENGINE_SCOPE);
        CnnEngine target = engineFor(scope);
        boolean live = target == engine;
        if (ctx.getWriter() != null) {
            target.setOut(ctx.getWriter());
        }
        if (ctx.getErrorWriter() != null) {
            target.setErr(ctx.getErrorWriter());
        }
        try {
            configure(target, ctx);
            Bindings global = ctx.getBindings(ScriptContext.GLOBAL_SCOPE);
            if (global != null) {
                for (Map.Entry<String, Object> e : global.entrySet()) {
                    if (isName(e.getKey()) && (scope == null || !scope.containsKey(e.getKey()))) {
                        target.set(e.getKey(), e.getValue());
                    }
                }
            }
            if (!live) {
                for (String name : target.variables()) {
                    if (!scope.containsKey(name)) {
                        target.remove(name); // the host removed it from the Bindings
                    }
                }
                for (Map.Entry<String, Object> e : scope.entrySet()) {
                    if (isName(e.getKey())) {
                        target.set(e.getKey(), e.getValue());
                    }
                }
            }
            return adopt(body.run(target));
        } catch (CnnException e) {
            throw scriptException(e);
        } catch (IllegalArgumentException | IllegalStateException e) {
            ScriptException se = new ScriptException(e.getMessage());
            se.initCause(e);
            throw se;
        } finally {
            if (!live && !target.isClosed()) {
                for (String name : target.variables()) {
                    scope.put(name, values.claim(target.get(name)));
                }
            }
        }
    }

    private static boolean isName(String key) {
        return key != null && key.matches("[A-Za-z_][A-Za-z_0-9]*");
    }

    private static ScriptException scriptException(CnnException e) {
        ScriptException se = e.hasLocation()
                ? new ScriptException(e.detail(), e.file(), e.line(), e.column())
                : new ScriptException(e.detail());
        se.initCause(e);
        return se;
    }

    @FunctionalInterface
    private interface ScriptBody {
        Object run(CnnEngine engine);
    }

    @Override
    public Bindings createBindings() {
        return new SimpleBindings();
    }

    @Override
    public ScriptEngineFactory getFactory() {
        return factory;
    }

    // ------------------------------------------------------------------ Compilable

    @Override
    public CompiledScript compile(String script) throws ScriptException {
        try {
            CnnScript compiled = engine.compile(script);
            return new CompiledScript() {
                @Override
                public Object eval(ScriptContext ctx) throws ScriptException {
                    // Compiled for the engine's own variables; another Bindings' engine compiles it anew.
                    return inContext(ctx, e -> e == engine ? compiled.run() : e.eval(script, "<script>"));
                }

                @Override
                public ScriptEngine getEngine() {
                    return CnnScriptEngine.this;
                }
            };
        } catch (CnnException e) {
            throw scriptException(e);
        }
    }

    @Override
    public CompiledScript compile(Reader script) throws ScriptException {
        return compile(read(script));
    }

    // ------------------------------------------------------------------ Invocable

    @Override
    public Object invokeFunction(String name, Object... args) throws ScriptException, NoSuchMethodException {
        if (!isName(name) || !engine.has(name)) {
            throw new NoSuchMethodException("no cnnscript function named '" + name + "'");
        }
        return inContext(context, e -> e.call(name, args));
    }

    @Override
    public Object invokeMethod(Object thiz, String name, Object... args) throws NoSuchMethodException {
        throw new NoSuchMethodException("cnnscript values have no methods to call from Java; "
                + "use invokeFunction(\"" + name + "\", ...)");
    }

    /** A Java interface whose methods call the script functions of the same names. */
    @Override
    public <T> T getInterface(Class<T> type) {
        if (type == null || !type.isInterface()) {
            throw new IllegalArgumentException("getInterface needs an interface, not " + type);
        }
        Object proxy = Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (p, method, args) -> {
            if (method.getDeclaringClass() == Object.class) {
                return switch (method.getName()) {
                    case "toString" -> "cnnscript " + type.getSimpleName();
                    case "hashCode" -> System.identityHashCode(p);
                    default -> p == args[0];
                };
            }
            return invokeFunction(method.getName(), args == null ? new Object[0] : args);
        });
        return type.cast(proxy);
    }

    @Override
    public <T> T getInterface(Object thiz, Class<T> type) {
        throw new IllegalArgumentException("cnnscript values cannot implement Java interfaces; use getInterface(type)");
    }

    /** Frees the engine's native memory, and that of the engines of other Bindings. */
    @Override
    public void close() {
        cleanable.clean();
        synchronized (others) {
            for (Other o : others) {
                o.engine().close();
            }
            others.clear();
        }
    }
}
