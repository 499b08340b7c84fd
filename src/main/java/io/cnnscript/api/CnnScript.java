package io.cnnscript.api;

import io.cnnscript.error.CnnException;

/**
 * A script parsed and checked once by {@link CnnEngine#compile}, to run many times in that
 * engine. Each run sees the engine's variables as they are at that moment.
 */
public final class CnnScript {

    private final CnnEngine engine;
    private final Runnable code;
    private final String name;

    CnnScript(CnnEngine engine, Runnable code, String name) {
        this.engine = engine;
        this.code = code;
        this.name = name;
    }

    /**
     * Runs the script and returns the value of its last expression statement (as
     * {@link CnnEngine#eval(String)} does), or null.
     *
     * @throws CnnException for an error in the script, with its place
     */
    public Object run() {
        return engine.run(code);
    }

    /** The engine the script belongs to. */
    public CnnEngine engine() {
        return engine;
    }

    @Override
    public String toString() {
        return "CnnScript[" + name + "]";
    }
}
