package io.cnnscript.interp;

import io.cnnscript.syntax.BinaryOp;
import io.cnnscript.syntax.Expr;
import io.cnnscript.syntax.SourceLocation;
import io.cnnscript.syntax.Stmt;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks a program and turns it into executable nodes. Names are resolved here, as Python
 * does: a name assigned anywhere in a function is local to it; other names are looked up in
 * the enclosing functions and then among the globals. Misplaced break, continue and return are
 * reported before anything runs.
 */
final class Compiler {

    private final Interpreter in;
    private Scope scope; // null at the top level
    private int loops;
    private boolean inFunction;

    private static final class Scope {
        final Scope parent;
        final Map<String, Integer> slots = new LinkedHashMap<>();

        Scope(Scope parent) {
            this.parent = parent;
        }

        int slot(String name) {
            return slots.computeIfAbsent(name, k -> slots.size());
        }
    }

    Compiler(Interpreter in) {
        this.in = in;
    }

    Nodes.Stmt[] program(List<Stmt> stmts, boolean echo) {
        Nodes.Stmt[] out = new Nodes.Stmt[stmts.size()];
        for (int i = 0; i < out.length; i++) {
            Stmt s = stmts.get(i);
            out[i] = echo && s instanceof Stmt.ExprStmt e ? new Nodes.ExprStmt(expr(e.expr()), true, e.loc()) : stmt(s);
        }
        return out;
    }

    private Nodes.Stmt[] block(List<Stmt> stmts) {
        Nodes.Stmt[] out = new Nodes.Stmt[stmts.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = stmt(stmts.get(i));
        }
        return out;
    }

    private Nodes.Stmt stmt(Stmt s) {
        if (s instanceof Stmt.ExprStmt e) {
            return new Nodes.ExprStmt(expr(e.expr()), false, e.loc());
        }
        if (s instanceof Stmt.Assign a) {
            Nodes.Target[] targets = new Nodes.Target[a.targets().size()];
            for (int i = 0; i < targets.length; i++) {
                targets[i] = target(a.targets().get(i));
            }
            return new Nodes.Assign(targets, expr(a.value()), a.loc());
        }
        if (s instanceof Stmt.AugAssign a) {
            // "w -= lr * w.grad" in a function updates the w it sees, as a step function needs;
            // only a plain "=" makes a name local.
            Nodes.Target t = a.target() instanceof Expr.Name n ? existingTarget(n.name(), n.loc()) : target(a.target());
            return new Nodes.AugAssign(t, a.op(), expr(a.value()), a.loc());
        }
        if (s instanceof Stmt.If i) {
            return new Nodes.If(condition(i.condition()), block(i.then()), block(i.orElse()), i.loc());
        }
        if (s instanceof Stmt.While w) {
            Nodes.Expr cond = condition(w.condition());
            loops++;
            try {
                return new Nodes.While(cond, block(w.body()), w.loc());
            } finally {
                loops--;
            }
        }
        if (s instanceof Stmt.For f) {
            Nodes.Expr iterable = expr(f.iterable());
            Nodes.Target[] targets = nameTargets(f.names(), f.loc());
            loops++;
            try {
                return new Nodes.For(targets, iterable, block(f.body()), f.loc());
            } finally {
                loops--;
            }
        }
        if (s instanceof Stmt.Return r) {
            if (!inFunction) {
                throw Interpreter.error("'return' outside a function", r.loc());
            }
            return new Nodes.Return(r.value() == null ? null : expr(r.value()), r.loc());
        }
        if (s instanceof Stmt.Break b) {
            if (loops == 0) {
                throw Interpreter.error("'break' outside a loop", b.loc());
            }
            return new Nodes.Jump(Nodes.BREAK, b.loc());
        }
        if (s instanceof Stmt.Continue c) {
            if (loops == 0) {
                throw Interpreter.error("'continue' outside a loop", c.loc());
            }
            return new Nodes.Jump(Nodes.CONTINUE, c.loc());
        }
        if (s instanceof Stmt.FnDef d) {
            Nodes.Target target = nameTarget(d.name(), d.loc());
            return new Nodes.FnDef(function(d.name(), d.params(), d.body(), d.loc()), target, scope != null, d.loc());
        }
        if (s instanceof Stmt.LayerDef d) {
            return layer(d);
        }
        throw new IllegalStateException("unknown statement " + s);
    }

    /** Compiles a function body in a scope of its own. */
    FunctionValue.Code function(String name, List<Stmt.Param> params, List<Stmt> body, SourceLocation loc) {
        Scope saved = scope;
        int savedLoops = loops;
        boolean savedIn = inFunction;
        scope = new Scope(saved);
        loops = 0;
        inFunction = true;
        try {
            String[] names = new String[params.size()];
            Nodes.Expr[] defaults = new Nodes.Expr[params.size()];
            for (int i = 0; i < names.length; i++) {
                names[i] = params.get(i).name();
                scope.slot(names[i]);
            }
            // Defaults are evaluated where the function is defined, so compile them outside its scope.
            Scope inner = scope;
            scope = saved;
            for (int i = 0; i < names.length; i++) {
                Expr d = params.get(i).defaultValue();
                defaults[i] = d == null ? null : expr(d);
            }
            scope = inner;
            Set<String> locals = new LinkedHashSet<>();
            collectAssigned(body, locals);
            locals.forEach(scope::slot);
            Nodes.Stmt[] nodes = block(body);
            FunctionValue.Code code =
                    new FunctionValue.Code(name, names, defaults, scope.slots.keySet().toArray(new String[0]), loc);
            code.body = nodes;
            return code;
        } finally {
            scope = saved;
            loops = savedLoops;
            inFunction = savedIn;
        }
    }

    private Nodes.Stmt layer(Stmt.LayerDef d) {
        Nodes.Target target = nameTarget(d.name(), d.loc());
        // A layer's body runs like a function whose frame becomes the layer's state; its methods
        // are closures over that frame.
        List<Stmt> body = new ArrayList<>(d.body());
        for (Stmt.FnDef m : d.methods()) {
            body.add(m);
        }
        FunctionValue.Code code = function(d.name(), d.params(), body, d.loc());
        List<String> methodNames = d.methods().stream().map(Stmt.FnDef::name).toList();
        if (!methodNames.contains("forward")) {
            throw Interpreter.error("layer " + d.name() + " needs a forward(x) { ... } method", d.loc());
        }
        return new LayerDefNode(code, methodNames, target, scope != null, d.loc());
    }

    /** Names given values in a body (not inside nested functions). */
    private static void collectAssigned(List<Stmt> body, Set<String> out) {
        for (Stmt s : body) {
            if (s instanceof Stmt.Assign a) {
                for (Expr t : a.targets()) {
                    if (t instanceof Expr.Name n) {
                        out.add(n.name());
                    }
                }
                collectComprehensions(a.value(), out);
            } else if (s instanceof Stmt.AugAssign a) {
                collectComprehensions(a.value(), out);
            } else if (s instanceof Stmt.For f) {
                out.addAll(f.names());
                collectComprehensions(f.iterable(), out);
                collectAssigned(f.body(), out);
            } else if (s instanceof Stmt.While w) {
                collectComprehensions(w.condition(), out);
                collectAssigned(w.body(), out);
            } else if (s instanceof Stmt.If i) {
                collectComprehensions(i.condition(), out);
                collectAssigned(i.then(), out);
                collectAssigned(i.orElse(), out);
            } else if (s instanceof Stmt.FnDef f) {
                out.add(f.name());
            } else if (s instanceof Stmt.LayerDef l) {
                out.add(l.name());
            } else if (s instanceof Stmt.ExprStmt e) {
                collectComprehensions(e.expr(), out);
            } else if (s instanceof Stmt.Return r && r.value() != null) {
                collectComprehensions(r.value(), out);
            }
        }
    }

    /** Comprehension variables are locals of the enclosing function. */
    private static void collectComprehensions(Expr e, Set<String> out) {
        if (e == null) {
            return;
        }
        if (e instanceof Expr.Comprehension c) {
            out.addAll(c.names());
            collectComprehensions(c.element(), out);
            collectComprehensions(c.iterable(), out);
            collectComprehensions(c.condition(), out);
        } else if (e instanceof Expr.Call c) {
            collectComprehensions(c.callee(), out);
            c.args().forEach(a -> collectComprehensions(a instanceof Expr.Starred s ? s.value() : a, out));
            c.keywords().forEach(k -> collectComprehensions(k.value(), out));
        } else if (e instanceof Expr.Binary b) {
            collectComprehensions(b.left(), out);
            collectComprehensions(b.right(), out);
        } else if (e instanceof Expr.Compare c) {
            c.operands().forEach(x -> collectComprehensions(x, out));
        } else if (e instanceof Expr.Logical b) {
            collectComprehensions(b.left(), out);
            collectComprehensions(b.right(), out);
        } else if (e instanceof Expr.Negate n) {
            collectComprehensions(n.operand(), out);
        } else if (e instanceof Expr.Not n) {
            collectComprehensions(n.operand(), out);
        } else if (e instanceof Expr.Attribute a) {
            collectComprehensions(a.target(), out);
        } else if (e instanceof Expr.Index i) {
            collectComprehensions(i.target(), out);
            for (Expr.Subscript sub : i.subscripts()) {
                if (sub instanceof Expr.Single single) {
                    collectComprehensions(single.index(), out);
                } else if (sub instanceof Expr.Slice slice) {
                    collectComprehensions(slice.lo(), out);
                    collectComprehensions(slice.hi(), out);
                    collectComprehensions(slice.step(), out);
                }
            }
        } else if (e instanceof Expr.TensorLiteral t) {
            t.items().forEach(x -> collectComprehensions(x, out));
        } else if (e instanceof Expr.TupleExpr t) {
            t.items().forEach(x -> collectComprehensions(x, out));
        } else if (e instanceof Expr.ListExpr t) {
            t.items().forEach(x -> collectComprehensions(x, out));
        }
    }

    private Nodes.Target[] nameTargets(List<String> names, SourceLocation loc) {
        Nodes.Target[] out = new Nodes.Target[names.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = nameTarget(names.get(i), loc);
        }
        return out;
    }

    private Nodes.Target nameTarget(String name, SourceLocation loc) {
        if (scope == null) {
            return new Nodes.GlobalTarget(in.cell(name), loc);
        }
        return new Nodes.LocalTarget(0, scope.slot(name), name, loc);
    }

    /** The variable a name already refers to: a local, an enclosing function's, or a global. */
    private Nodes.Target existingTarget(String name, SourceLocation loc) {
        int depth = 0;
        for (Scope s = scope; s != null; s = s.parent, depth++) {
            Integer slot = s.slots.get(name);
            if (slot != null) {
                return new Nodes.LocalTarget(depth, slot, name, loc);
            }
        }
        return new Nodes.GlobalTarget(in.cell(name), loc);
    }

    private Nodes.Target target(Expr e) {
        if (e instanceof Expr.Name n) {
            return nameTarget(n.name(), n.loc());
        }
        if (e instanceof Expr.Index i) {
            return new Nodes.IndexTarget(expr(i.target()), subs(i.subscripts()), i.loc());
        }
        if (e instanceof Expr.Attribute a) {
            return new Nodes.AttributeTarget(expr(a.target()), a.name(), a.loc());
        }
        throw Interpreter.error("cannot assign to this expression", e.loc());
    }

    private Nodes.Expr[] exprs(List<Expr> list) {
        Nodes.Expr[] out = new Nodes.Expr[list.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = expr(list.get(i));
        }
        return out;
    }

    private Nodes.Sub[] subs(List<Expr.Subscript> list) {
        Nodes.Sub[] out = new Nodes.Sub[list.size()];
        for (int i = 0; i < out.length; i++) {
            Expr.Subscript s = list.get(i);
            if (s instanceof Expr.Single single) {
                out[i] = new Nodes.Sub(expr(single.index()));
            } else {
                Expr.Slice sl = (Expr.Slice) s;
                out[i] = new Nodes.Sub(sliceBound(sl.lo()), sliceBound(sl.hi()), sliceBound(sl.step()));
            }
        }
        return out;
    }

    private Nodes.Expr sliceBound(Expr e) {
        return e == null ? null : new Nodes.SliceBound(expr(e));
    }

    /** A condition's truth, its errors placed at the condition. */
    private Nodes.Expr condition(Expr e) {
        return new Nodes.Truth(expr(e));
    }

    Nodes.Expr expr(Expr e) {
        if (e instanceof Expr.Literal l) {
            return new Nodes.Const(l.value() == null ? io.cnnscript.value.NoneValue.NONE : l.value(), l.loc());
        }
        if (e instanceof Expr.Name n) {
            return name(n.name(), n.loc());
        }
        if (e instanceof Expr.Binary b) {
            return new Nodes.Binary(b.op(), expr(b.left()), expr(b.right()), b.loc());
        }
        if (e instanceof Expr.Compare c) {
            return new Nodes.Compare(exprs(c.operands()), c.ops().toArray(new BinaryOp[0]),
                    c.opLocs().toArray(new SourceLocation[0]), c.loc());
        }
        if (e instanceof Expr.Call c) {
            String[] kn = new String[c.keywords().size()];
            Nodes.Expr[] kv = new Nodes.Expr[kn.length];
            for (int i = 0; i < kn.length; i++) {
                kn[i] = c.keywords().get(i).name();
                kv[i] = expr(c.keywords().get(i).value());
            }
            if (c.callee() instanceof Expr.Attribute a) {
                Nodes.Expr target = expr(a.target());
                FusedReduce fused = c.args().isEmpty() && kn.length == 0
                        ? FusedReduce.of(target, a.name(), c.loc()) : null;
                if (fused != null) {
                    return fused;
                }
                return new Nodes.MethodCall(target, a.name(), exprs(c.args()), kn, kv, c.loc());
            }
            return new Nodes.Call(expr(c.callee()), exprs(c.args()), kn, kv, c.loc());
        }
        if (e instanceof Expr.Starred s) {
            return new Nodes.Splat(expr(s.value()), s.loc());
        }
        if (e instanceof Expr.Attribute a) {
            return new Nodes.Attribute(expr(a.target()), a.name(), a.loc());
        }
        if (e instanceof Expr.Index i) {
            return new Nodes.Index(expr(i.target()), subs(i.subscripts()), i.loc());
        }
        if (e instanceof Expr.Negate n) {
            return new Nodes.Negate(expr(n.operand()), n.loc());
        }
        if (e instanceof Expr.Not n) {
            return new Nodes.Not(expr(n.operand()), n.loc());
        }
        if (e instanceof Expr.Logical l) {
            // The one error a Logical makes itself is its left operand's truth value: placed there.
            return new Nodes.Logical(l.isAnd(), expr(l.left()), expr(l.right()), l.left().loc());
        }
        if (e instanceof Expr.TupleExpr t) {
            return new Nodes.TupleNode(exprs(t.items()), t.loc());
        }
        if (e instanceof Expr.ListExpr l) {
            return new Nodes.ListNode(exprs(l.items()), l.loc());
        }
        if (e instanceof Expr.TensorLiteral t) {
            return new Nodes.TensorLiteral(exprs(t.items()), t.loc());
        }
        if (e instanceof Expr.Comprehension c) {
            Nodes.Expr iterable = expr(c.iterable());
            Nodes.Target[] targets = nameTargets(c.names(), c.loc());
            return new Nodes.Comprehension(expr(c.element()), targets, iterable,
                    c.condition() == null ? null : condition(c.condition()), c.loc());
        }
        throw new IllegalStateException("unknown expression " + e);
    }

    private Nodes.Expr name(String name, SourceLocation loc) {
        int depth = 0;
        for (Scope s = scope; s != null; s = s.parent, depth++) {
            Integer slot = s.slots.get(name);
            if (slot != null) {
                return new Nodes.LocalRef(depth, slot, name, loc);
            }
        }
        return new Nodes.GlobalRef(in.cell(name), loc);
    }
}
