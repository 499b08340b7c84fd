package io.cnnscript.interp;

import io.cnnscript.syntax.SourceLocation;
import io.cnnscript.value.Callable;
import io.cnnscript.value.Runtime;
import io.cnnscript.value.Traversable;
import java.util.function.Consumer;

/** A function defined by a script, with the frame it was defined in and its default values. */
final class FunctionValue implements Callable, Traversable {

    /** What the compiler knows of a function: parameters, slots, body. */
    static final class Code {
        final String name;
        final String[] params;
        final Nodes.Expr[] defaultExprs; // null entries: required
        final String[] slotNames;
        Nodes.Stmt[] body;
        final SourceLocation loc;

        Code(String name, String[] params, Nodes.Expr[] defaultExprs, String[] slotNames, SourceLocation loc) {
            this.name = name;
            this.params = params;
            this.defaultExprs = defaultExprs;
            this.slotNames = slotNames;
            this.loc = loc;
        }
    }

    final Code code;
    final Frame closure;
    final Object[] defaults;

    FunctionValue(Code code, Frame closure, Object[] defaults) {
        this.code = code;
        this.closure = closure;
        this.defaults = defaults;
    }

    @Override
    public String name() {
        return code.name;
    }

    @Override
    public Object call(Runtime rt, Object[] args, String[] keywordNames, Object[] keywordValues) {
        return ((Interpreter) rt).invoke(this, args, keywordNames, keywordValues);
    }

    @Override
    public void forEachChild(Consumer<Object> visitor) {
        visitor.accept(closure);
        for (Object d : defaults) {
            visitor.accept(d);
        }
    }

    /** The signature as written, for messages and :help. */
    String signature() {
        StringBuilder sb = new StringBuilder(code.name).append('(');
        for (int i = 0; i < code.params.length; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(code.params[i]);
            if (defaults[i] != null) {
                sb.append('=').append(io.cnnscript.value.Values.repr(defaults[i]));
            }
        }
        return sb.append(')').toString();
    }

    @Override
    public String help() {
        return "fn " + signature() + "   [your function, " + code.loc + "]\n";
    }

    @Override
    public String toString() {
        return "<fn " + signature() + ">";
    }
}
