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
        return s.accept(stmtCompiler);
    }

    private final StmtCompiler stmtCompiler = new StmtCompiler();

    /** Compiles each kind of statement; the visitor makes the Java compiler check that every kind is handled. */
    private final class StmtCompiler implements Stmt.Visitor<Nodes.Stmt> {

        @Override
        public Nodes.Stmt visit(Stmt.ExprStmt e) {
            return new Nodes.ExprStmt(expr(e.expr()), false, e.loc());
        }

        @Override
        public Nodes.Stmt visit(Stmt.Assign a) {
            Nodes.Target[] targets = new Nodes.Target[a.targets().size()];
            for (int i = 0; i < targets.length; i++) {
                targets[i] = target(a.targets().get(i));
            }
            return new Nodes.Assign(targets, expr(a.value()), a.loc());
        }

        @Override
        public Nodes.Stmt visit(Stmt.AugAssign a) {
            // "w -= lr * w.grad" in a function updates the w it sees, as a step function needs;
            // only a plain "=" makes a name local.
            Nodes.Target t = a.target() instanceof Expr.Name n ? existingTarget(n.name(), n.loc()) : target(a.target());
            return new Nodes.AugAssign(t, a.op(), expr(a.value()), a.loc());
        }

        @Override
        public Nodes.Stmt visit(Stmt.If i) {
            return new Nodes.If(condition(i.condition()), block(i.then()), block(i.orElse()), i.loc());
        }

        @Override
        public Nodes.Stmt visit(Stmt.While w) {
            Nodes.Expr cond = condition(w.condition());
            loops++;
            try {
                return new Nodes.While(cond, block(w.body()), w.loc());
            } finally {
                loops--;
            }
        }

        @Override
        public Nodes.Stmt visit(Stmt.For f) {
            Nodes.Expr iterable = expr(f.iterable());
            Nodes.Target[] targets = nameTargets(f.names(), f.loc());
            loops++;
            try {
                return new Nodes.For(targets, iterable, block(f.body()), f.loc());
            } finally {
                loops--;
            }
        }

        @Override
        public Nodes.Stmt visit(Stmt.Return r) {
            if (!inFunction) {
                throw Interpreter.error("'return' outside a function", r.loc());
            }
            return new Nodes.Return(r.value() == null ? null : expr(r.value()), r.loc());
        }

        @Override
        public Nodes.Stmt visit(Stmt.Break b) {
            if (loops == 0) {
                throw Interpreter.error("'break' outside a loop", b.loc());
            }
            return new Nodes.Jump(Nodes.BREAK, b.loc());
        }

        @Override
        public Nodes.Stmt visit(Stmt.Continue c) {
            if (loops == 0) {
                throw Interpreter.error("'continue' outside a loop", c.loc());
            }
            return new Nodes.Jump(Nodes.CONTINUE, c.loc());
        }

        @Override
        public Nodes.Stmt visit(Stmt.FnDef d) {
            Nodes.Target target = nameTarget(d.name(), d.loc());
            return new Nodes.FnDef(function(d.name(), d.params(), d.body(), d.loc()), target, scope != null, d.loc());
        }

        @Override
        public Nodes.Stmt visit(Stmt.LayerDef d) {
            return layer(d);
        }
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

    /**
     * Names given values in a body (not inside nested functions, and not a comprehension's own
     * names): the function's locals.
     */
    private static void collectAssigned(List<Stmt> body, Set<String> out) {
        AssignedNames names = new AssignedNames(out);
        for (Stmt s : body) {
            s.accept(names);
        }
    }

    /** The names one statement gives values to, for {@link #collectAssigned}; every kind is listed. */
    private record AssignedNames(Set<String> out) implements Stmt.Visitor<Void> {
        @Override
        public Void visit(Stmt.Assign a) {
            for (Expr t : a.targets()) {
                if (t instanceof Expr.Name n) {
                    out.add(n.name());
                }
            }
            return null;
        }

        @Override
        public Void visit(Stmt.For f) {
            out.addAll(f.names());
            collectAssigned(f.body(), out);
            return null;
        }

        @Override
        public Void visit(Stmt.While w) {
            collectAssigned(w.body(), out);
            return null;
        }

        @Override
        public Void visit(Stmt.If i) {
            collectAssigned(i.then(), out);
            collectAssigned(i.orElse(), out);
            return null;
        }

        @Override
        public Void visit(Stmt.FnDef f) {
            out.add(f.name());
            return null;
        }

        @Override
        public Void visit(Stmt.LayerDef l) {
            out.add(l.name());
            return null;
        }

        /** "+=" updates the variable the name already refers to: it makes no local. */
        @Override
        public Void visit(Stmt.AugAssign a) {
            return null;
        }

        @Override
        public Void visit(Stmt.ExprStmt e) {
            return null;
        }

        @Override
        public Void visit(Stmt.Return r) {
            return null;
        }

        @Override
        public Void visit(Stmt.Break b) {
            return null;
        }

        @Override
        public Void visit(Stmt.Continue c) {
            return null;
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
        return e.accept(exprCompiler);
    }

    private final ExprCompiler exprCompiler = new ExprCompiler();

    /** Compiles each kind of expression; the visitor makes the Java compiler check that every kind is handled. */
    private final class ExprCompiler implements Expr.Visitor<Nodes.Expr> {

        @Override
        public Nodes.Expr visit(Expr.Literal l) {
            return new Nodes.Const(l.value() == null ? io.cnnscript.value.NoneValue.NONE : l.value(), l.loc());
        }

        @Override
        public Nodes.Expr visit(Expr.Name n) {
            return name(n.name(), n.loc());
        }

        @Override
        public Nodes.Expr visit(Expr.Binary b) {
            return new Nodes.Binary(b.op(), expr(b.left()), expr(b.right()), b.loc());
        }

        @Override
        public Nodes.Expr visit(Expr.Compare c) {
            return new Nodes.Compare(exprs(c.operands()), c.ops().toArray(new BinaryOp[0]),
                    c.opLocs().toArray(new SourceLocation[0]), c.loc());
        }

        @Override
        public Nodes.Expr visit(Expr.Call c) {
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

        @Override
        public Nodes.Expr visit(Expr.Starred s) {
            return new Nodes.Splat(expr(s.value()), s.loc());
        }

        @Override
        public Nodes.Expr visit(Expr.Attribute a) {
            return new Nodes.Attribute(expr(a.target()), a.name(), a.loc());
        }

        @Override
        public Nodes.Expr visit(Expr.Index i) {
            return new Nodes.Index(expr(i.target()), subs(i.subscripts()), i.loc());
        }

        @Override
        public Nodes.Expr visit(Expr.Negate n) {
            return new Nodes.Negate(expr(n.operand()), n.loc());
        }

        @Override
        public Nodes.Expr visit(Expr.Not n) {
            return new Nodes.Not(expr(n.operand()), n.loc());
        }

        @Override
        public Nodes.Expr visit(Expr.Logical l) {
            // The one error a Logical makes itself is its left operand's truth value: placed there.
            return new Nodes.Logical(l.isAnd(), expr(l.left()), expr(l.right()), l.left().loc());
        }

        @Override
        public Nodes.Expr visit(Expr.Conditional c) {
            return new Nodes.Conditional(condition(c.condition()), expr(c.then()), expr(c.orElse()), c.loc());
        }

        @Override
        public Nodes.Expr visit(Expr.TupleExpr t) {
            return new Nodes.TupleNode(exprs(t.items()), t.loc());
        }

        @Override
        public Nodes.Expr visit(Expr.ListExpr l) {
            return new Nodes.ListNode(exprs(l.items()), l.loc());
        }

        @Override
        public Nodes.Expr visit(Expr.TensorLiteral t) {
            return new Nodes.TensorLiteral(exprs(t.items()), t.loc());
        }

        @Override
        public Nodes.Expr visit(Expr.Comprehension c) {
            return comprehension(c);
        }
    }

    /**
     * A comprehension has a scope of its own, as in Python 3: its loop names are slots of a
     * frame it makes for itself, so they neither change nor hide a variable outside it. The
     * iterable is evaluated outside that scope, as Python evaluates the first one.
     */
    private Nodes.Expr comprehension(Expr.Comprehension c) {
        Nodes.Expr iterable = expr(c.iterable());
        Scope saved = scope;
        scope = new Scope(saved);
        try {
            Nodes.Target[] targets = nameTargets(c.names(), c.loc());
            Nodes.Expr element = expr(c.element());
            Nodes.Expr condition = c.condition() == null ? null : condition(c.condition());
            return new Nodes.Comprehension(element, targets, iterable, condition, scope.slots.size(), c.loc());
        } finally {
            scope = saved;
        }
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
