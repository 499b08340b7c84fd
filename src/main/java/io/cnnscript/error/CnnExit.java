package io.cnnscript.error;


/**
 * A script called {@code exit()} or {@code quit()}: the script ends there, without an error.
 * The cnn command exits with {@link #status()}; the REPL leaves; an embedding application sees
 * this exception from {@code eval} and decides itself (the engine stays usable).
 */
public final class CnnExit extends CnnException {

    private final int status;

    public CnnExit(int status) {
        super("exit(" + status + ") ended the script");
        this.status = status;
    }

    /** The status the script asked for: exit() is 0. */
    public int status() {
        return status;
    }

    /** An exit is not an error at a place: it keeps going up as it is. */
    @Override
    public CnnException at(String file, int line, int column) {
        return this;
    }
}
