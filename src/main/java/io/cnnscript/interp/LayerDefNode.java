package io.cnnscript.interp;

import io.cnnscript.syntax.SourceLocation;
import java.util.List;

/** {@code layer Name(params) { ... forward(x) { ... } }}: binds Name to a layer maker. */
final class LayerDefNode extends Nodes.Stmt {
    final FunctionValue.Code code;
    final List<String> methods;
    final Nodes.Target target;
    final boolean nested;

    LayerDefNode(FunctionValue.Code code, List<String> methods, Nodes.Target target, boolean nested,
            SourceLocation loc) {
        super(loc);
        this.code = code;
        this.methods = methods;
        this.target = target;
        this.nested = nested;
    }

    @Override
    int exec(Frame f) {
        f.in.checkpoint(loc);
        Object[] defaults = Nodes.defaults(code, f);
        target.assign(f, new UserLayer.Maker(new FunctionValue(code, nested ? f : null, defaults), methods));
        return Nodes.NORMAL;
    }
}
