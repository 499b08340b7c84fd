package io.cnnscript.interp;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import io.cnnscript.error.CnnException;
import io.cnnscript.error.CnnExit;
import io.cnnscript.lib.Conversions;
import io.cnnscript.lib.Indexing;
import io.cnnscript.lib.Members;
import io.cnnscript.lib.Operators;
import io.cnnscript.lib.RangeValue;
import io.cnnscript.lib.SliceSpec;
import io.cnnscript.lib.Tensors;
import io.cnnscript.syntax.BinaryOp;
import io.cnnscript.syntax.SourceLocation;
import io.cnnscript.value.Callable;
import io.cnnscript.value.NoneValue;
import io.cnnscript.value.PyList;
import io.cnnscript.value.ScriptIterable;
import io.cnnscript.value.Tuple;
import io.cnnscript.value.Values;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The executable tree the compiler makes from the syntax tree: each node evaluates itself, with
 * names already resolved to slots or global cells. Statements return a status instead of
 * throwing for break, continue and return.
 */
final class Nodes {

    private Nodes() {}

    static final int NORMAL = 0;
    static final int BREAK = 1;
    static final int CONTINUE = 2;
    static final int RETURN = 3;

    abstract static class Expr {
        final SourceLocation loc;

        Expr(SourceLocation loc) {
            this.loc = loc;
        }

        /**
         * The value of this node. This is the one place where an error gets its place: one
         * thrown while the node does its own work (an operator, a call, an index) and not yet
         * placed is placed at the node, and an engine error becomes a message
         * ({@link Interpreter#locate}); one a part of the node threw was placed by that part.
         */
        final Object eval(Frame f) {
            try {
                return evaluate(f);
            } catch (RuntimeException e) {
                throw Interpreter.locate(e, loc);
            }
        }

        /** What the node computes; its errors need no place (see {@link #eval}). */
        abstract Object evaluate(Frame f);
    }

    abstract static class Stmt {
        final SourceLocation loc;

        Stmt(SourceLocation loc) {
            this.loc = loc;
        }

        abstract int exec(Frame f);
    }

    /** Where an assignment stores. */
    abstract static class Target {
        final SourceLocation loc;

        Target(SourceLocation loc) {
            this.loc = loc;
        }

        /** Stores value here; errors are placed as {@link Expr#eval} places them. */
        final void assign(Frame f, Object value) {
            try {
                store(f, value);
            } catch (RuntimeException e) {
                throw Interpreter.locate(e, loc);
            }
        }

        /** The current value, for += and friends; errors are placed as {@link Expr#eval} places them. */
        final Object read(Frame f) {
            try {
                return load(f);
            } catch (RuntimeException e) {
                throw Interpreter.locate(e, loc);
            }
        }

        abstract void store(Frame f, Object value);

        abstract Object load(Frame f);
    }

    static int execBlock(Stmt[] body, Frame f) {
        for (Stmt s : body) {
            int status = s.exec(f);
            if (status != NORMAL) {
                return status;
            }
        }
        return NORMAL;
    }

    // ------------------------------------------------------------------ names

    static final class Const extends Expr {
        final Object value;

        Const(Object value, SourceLocation loc) {
            super(loc);
            this.value = value;
        }

        @Override
        Object evaluate(Frame f) {
            return value;
        }
    }

    static final class GlobalRef extends Expr {
        final Cell cell;

        GlobalRef(Cell cell, SourceLocation loc) {
            super(loc);
            this.cell = cell;
        }

        @Override
        Object evaluate(Frame f) {
            Object v = cell.value;
            if (v == null) {
                throw f.in.undefined(cell.name, loc);
            }
            return v;
        }
    }

    static final class LocalRef extends Expr {
        final int slot;
        final int depth;
        final String name;

        LocalRef(int depth, int slot, String name, SourceLocation loc) {
            super(loc);
            this.depth = depth;
            this.slot = slot;
            this.name = name;
        }

        @Override
        Object evaluate(Frame f) {
            Frame at = f;
            for (int d = depth; d > 0; d--) {
                at = at.parent;
            }
            Object v = at.slots[slot];
            if (v == null) {
                throw Interpreter.error("'" + name + "' is used before it is given a value", loc);
            }
            return v;
        }
    }

    static final class GlobalTarget extends Target {
        final Cell cell;

        GlobalTarget(Cell cell, SourceLocation loc) {
            super(loc);
            this.cell = cell;
        }

        @Override
        void store(Frame f, Object value) {
            f.in.mem.keep(value);
            cell.value = value;
        }

        @Override
        Object load(Frame f) {
            Object v = cell.value;
            if (v == null) {
                throw f.in.undefined(cell.name, loc);
            }
            return v;
        }
    }

    static final class LocalTarget extends Target {
        final int slot;
        final int depth;
        final String name;

        LocalTarget(int depth, int slot, String name, SourceLocation loc) {
            super(loc);
            this.depth = depth;
            this.slot = slot;
            this.name = name;
        }

        private Frame frame(Frame f) {
            Frame at = f;
            for (int d = depth; d > 0; d--) {
                at = at.parent;
            }
            return at;
        }

        @Override
        void store(Frame f, Object value) {
            f.in.mem.keep(value);
            frame(f).slots[slot] = value;
        }

        @Override
        Object load(Frame f) {
            Object v = frame(f).slots[slot];
            if (v == null) {
                throw Interpreter.error("'" + name + "' is used before it is given a value", loc);
            }
            return v;
        }
    }

    static final class IndexTarget extends Target {
        final Expr target;
        final Sub[] subs;

        IndexTarget(Expr target, Sub[] subs, SourceLocation loc) {
            super(loc);
            this.target = target;
            this.subs = subs;
        }

        @Override
        void store(Frame f, Object value) {
            Object t = target.eval(f);
            Object[] at = evalSubs(subs, f);
            f.in.indexSet(t, at, value);
        }

        @Override
        Object load(Frame f) {
            Object t = target.eval(f);
            return f.in.index(t, evalSubs(subs, f));
        }
    }

    static final class AttributeTarget extends Target {
        final Expr target;
        final String name;

        AttributeTarget(Expr target, String name, SourceLocation loc) {
            super(loc);
            this.target = target;
            this.name = name;
        }

        @Override
        void store(Frame f, Object value) {
            Object t = target.eval(f);
            f.in.mem.keep(value);
            Members.setAttribute(f.in, t, name, value);
        }

        @Override
        Object load(Frame f) {
            Object t = target.eval(f);
            return f.in.attribute(t, name);
        }
    }

    // ------------------------------------------------------------------ expressions

    static final class Attribute extends Expr {
        final Expr target;
        final String name;

        Attribute(Expr target, String name, SourceLocation loc) {
            super(loc);
            this.target = target;
            this.name = name;
        }

        @Override
        Object evaluate(Frame f) {
            Object t = target.eval(f);
            return f.in.attribute(t, name);
        }
    }

    static final class Call extends Expr {
        final Expr callee;
        final Expr[] args;
        final String[] keywordNames;
        final Expr[] keywordValues;

        Call(Expr callee, Expr[] args, String[] keywordNames, Expr[] keywordValues, SourceLocation loc) {
            super(loc);
            this.callee = callee;
            this.args = args;
            this.keywordNames = keywordNames;
            this.keywordValues = keywordValues;
        }

        @Override
        Object evaluate(Frame f) {
            Object fn = callee.eval(f);
            Object[] a = evalArgs(args, f);
            Object[] kv = evalAll(keywordValues, f);
            f.in.checkStopAt(loc);
            if (!(fn instanceof Callable c)) {
                throw Interpreter.error(Values.aTypeName(fn) + " cannot be called"
                        + (callee instanceof GlobalRef g ? " ('" + g.cell.name + "' is " + Values.aTypeName(fn) + ")"
                        : ""), loc);
            }
            SourceLocation outer = f.in.callSite;
            f.in.callSite = loc;
            try {
                return c.call(f.in, a, keywordNames, kv);
            } catch (RuntimeException e) {
                throw traced(e, loc, c.name());
            } catch (StackOverflowError e) {
                throw Interpreter.error("too deep: the calls nest too deeply (endless recursion?)", loc);
            } finally {
                f.in.callSite = outer;
            }
        }
    }

    static final class MethodCall extends Expr {
        final Expr target;
        final String name;
        final Expr[] args;
        final String[] keywordNames;
        final Expr[] keywordValues;

        MethodCall(Expr target, String name, Expr[] args, String[] keywordNames, Expr[] keywordValues,
                SourceLocation loc) {
            super(loc);
            this.target = target;
            this.name = name;
            this.args = args;
            this.keywordNames = keywordNames;
            this.keywordValues = keywordValues;
        }

        @Override
        Object evaluate(Frame f) {
            Object t = target.eval(f);
            Object[] a = evalArgs(args, f);
            Object[] kv = evalAll(keywordValues, f);
            f.in.checkStopAt(loc);
            SourceLocation outer = f.in.callSite;
            f.in.callSite = loc;
            try {
                return Members.call(f.in.library(), f.in, t, name, a, keywordNames, kv);
            } catch (RuntimeException e) {
                throw traced(e, loc, name);
            } catch (StackOverflowError e) {
                throw Interpreter.error("too deep: the calls nest too deeply (endless recursion?)", loc);
            } finally {
                f.in.callSite = outer;
            }
        }
    }

    /**
     * Places an error that came out of a call at the call. One that already has its place came
     * from script code the call ran (the function's body, or deeper): it records the call, so
     * that it prints with the chain of calls that led to it.
     */
    static RuntimeException traced(RuntimeException e, SourceLocation call, String function) {
        if (e instanceof CnnException c && c.hasLocation() && !(e instanceof CnnExit)) {
            c.addCaller(call.file(), call.line(), function);
            return e;
        }
        return Interpreter.locate(e, call);
    }

    /**
     * {@code *items} in a call's arguments (the grammar allows it nowhere else): its value is
     * the items, as a java.util.List that {@link #evalArgs} spreads among the arguments.
     */
    static final class Splat extends Expr {
        final Expr value;

        Splat(Expr value, SourceLocation loc) {
            super(loc);
            this.value = value;
        }

        @Override
        Object evaluate(Frame f) {
            return io.cnnscript.lib.Conversions.sequence(value.eval(f), "an argument after '*'");
        }
    }

    /** A call's positional arguments, with the items of each {@code *list} in its place. */
    static Object[] evalArgs(Expr[] exprs, Frame f) {
        boolean splat = false;
        for (Expr e : exprs) {
            splat |= e instanceof Splat;
        }
        if (!splat) {
            return evalAll(exprs, f);
        }
        java.util.List<Object> out = new java.util.ArrayList<>();
        for (Expr e : exprs) {
            if (e instanceof Splat s) {
                out.addAll((List<?>) s.eval(f));
            } else {
                out.add(e.eval(f));
            }
        }
        return out.toArray();
    }

    static Object[] evalAll(Expr[] exprs, Frame f) {
        if (exprs.length == 0) {
            return NO_VALUES;
        }
        Object[] out = new Object[exprs.length];
        for (int i = 0; i < exprs.length; i++) {
            out[i] = exprs[i].eval(f);
        }
        return out;
    }

    static final Object[] NO_VALUES = new Object[0];

    /** One subscript: an index expression or a slice of up to three. */
    static final class Sub {
        final Expr index;
        final Expr lo;
        final Expr hi;
        final Expr step;
        final boolean slice;

        Sub(Expr index) {
            this.index = index;
            this.lo = null;
            this.hi = null;
            this.step = null;
            this.slice = false;
        }

        Sub(Expr lo, Expr hi, Expr step) {
            this.index = null;
            this.lo = lo;
            this.hi = hi;
            this.step = step;
            this.slice = true;
        }
    }

    static Object[] evalSubs(Sub[] subs, Frame f) {
        Object[] out = new Object[subs.length];
        for (int i = 0; i < subs.length; i++) {
            Sub s = subs[i];
            if (!s.slice) {
                out[i] = s.index.eval(f);
            } else {
                out[i] = new SliceSpec(sliceBound(s.lo, f), sliceBound(s.hi, f), sliceBound(s.step, f));
            }
        }
        return out;
    }

    private static Long sliceBound(Expr e, Frame f) {
        return e == null ? null : (Long) e.eval(f);
    }

    /** A slice bound: an int or None (null), its errors placed at the bound's expression. */
    static final class SliceBound extends Expr {
        final Expr value;

        SliceBound(Expr value) {
            super(value.loc);
            this.value = value;
        }

        @Override
        Object evaluate(Frame f) {
            Object v = value.eval(f);
            return v == NoneValue.NONE ? null : Conversions.toLong(v, "a slice bound");
        }
    }

    static final class Index extends Expr {
        final Expr target;
        final Sub[] subs;

        Index(Expr target, Sub[] subs, SourceLocation loc) {
            super(loc);
            this.target = target;
            this.subs = subs;
        }

        @Override
        Object evaluate(Frame f) {
            Object t = target.eval(f);
            Object[] at = evalSubs(subs, f);
            return f.in.index(t, at);
        }
    }

    static final class Binary extends Expr {
        final BinaryOp op;
        final Expr left;
        final Expr right;

        Binary(BinaryOp op, Expr left, Expr right, SourceLocation loc) {
            super(loc);
            this.op = op;
            this.left = left;
            this.right = right;
        }

        @Override
        Object evaluate(Frame f) {
            Object a = left.eval(f);
            Object b = right.eval(f);
            f.in.checkStopAt(loc);
            return f.in.binary(op, a, b);
        }
    }

    /** {@code a < b <= c}: stops at the first comparison that is false, whose value it gives. */
    static final class Compare extends Expr {
        final Expr[] operands;
        final BinaryOp[] ops;
        final SourceLocation[] opLocs;

        Compare(Expr[] operands, BinaryOp[] ops, SourceLocation[] opLocs, SourceLocation loc) {
            super(loc);
            this.operands = operands;
            this.ops = ops;
            this.opLocs = opLocs;
        }

        @Override
        Object evaluate(Frame f) {
            Object left = operands[0].eval(f);
            Object result = null;
            for (int i = 0; i < ops.length; i++) {
                Object right = operands[i + 1].eval(f);
                boolean last = i == ops.length - 1;
                try {
                    // Each link's errors belong to its own operator, not to the chain.
                    result = f.in.binary(ops[i], left, right);
                    if (!last && !(result instanceof Boolean b ? b : Values.truthy(result))) {
                        return result;
                    }
                } catch (RuntimeException e) {
                    throw Interpreter.locate(e, opLocs[i]);
                }
                left = right;
            }
            return result;
        }
    }

    static final class Negate extends Expr {
        final Expr operand;

        Negate(Expr operand, SourceLocation loc) {
            super(loc);
            this.operand = operand;
        }

        @Override
        Object evaluate(Frame f) {
            Object v = operand.eval(f);
            return f.in.negate(v);
        }
    }

    static final class Not extends Expr {
        final Expr operand;

        Not(Expr operand, SourceLocation loc) {
            super(loc);
            this.operand = operand;
        }

        @Override
        Object evaluate(Frame f) {
            Object v = operand.eval(f);
            return !Values.truthy(v);
        }
    }

    /** {@code a and b}, {@code a or b}; its loc is a's, where an error in a's truth value belongs. */
    static final class Logical extends Expr {
        final boolean isAnd;
        final Expr left;
        final Expr right;

        Logical(boolean isAnd, Expr left, Expr right, SourceLocation loc) {
            super(loc);
            this.isAnd = isAnd;
            this.left = left;
            this.right = right;
        }

        @Override
        Object evaluate(Frame f) {
            Object a = left.eval(f);
            boolean t = Values.truthy(a);
            if (isAnd ? !t : t) {
                return a;
            }
            return right.eval(f);
        }
    }

    static final class TupleNode extends Expr {
        final Expr[] items;

        TupleNode(Expr[] items, SourceLocation loc) {
            super(loc);
            this.items = items;
        }

        @Override
        Object evaluate(Frame f) {
            return new Tuple(evalAll(items, f).clone());
        }
    }

    static final class ListNode extends Expr {
        final Expr[] items;

        ListNode(Expr[] items, SourceLocation loc) {
            super(loc);
            this.items = items;
        }

        @Override
        Object evaluate(Frame f) {
            return new PyList(java.util.Arrays.asList(evalAll(items, f)));
        }
    }

    static final class TensorLiteral extends Expr {
        final Expr[] items;

        TensorLiteral(Expr[] items, SourceLocation loc) {
            super(loc);
            this.items = items;
        }

        @Override
        Object evaluate(Frame f) {
            PyList rows = new PyList(java.util.Arrays.asList(evalAll(items, f)));
            return f.in.tensorLiteral(rows);
        }
    }

    static final class Comprehension extends Expr {
        final Expr element;
        final Target[] targets;
        final Expr iterable;
        final Expr condition;
        /** The slots of the comprehension's own frame: its loop names. */
        final int slots;

        Comprehension(Expr element, Target[] targets, Expr iterable, Expr condition, int slots, SourceLocation loc) {
            super(loc);
            this.element = element;
            this.targets = targets;
            this.iterable = iterable;
            this.condition = condition;
            this.slots = slots;
        }

        @Override
        Object evaluate(Frame f) {
            Object source = iterable.eval(f);
            Memory mem = f.in.mem;
            mem.pin(source, mem.depth());
            PyList out = new PyList();
            Iterator<Object> it = iterate(f, source, iterable.loc);
            Frame own = f.in.pushFrame(new Frame(f.in, slots, f));
            try {
                while (it.hasNext()) {
                    // Each iteration counts as a statement: limits stop a comprehension as they stop a loop.
                    f.in.step(loc);
                    assignAll(targets, own, it.next(), loc);
                    if (condition != null && !truth(condition, own)) {
                        continue;
                    }
                    if (out.size() >= Values.MAX_ITEMS) {
                        Values.checkSize(out.size() + 1L, "the list");
                    }
                    out.add(element.eval(own));
                }
            } finally {
                f.in.popFrame();
            }
            return out;
        }
    }

    /** {@code a if c else b}: the condition (a Truth node) decides which one branch runs. */
    static final class Conditional extends Expr {
        final Expr condition;
        final Expr then;
        final Expr orElse;

        Conditional(Expr condition, Expr then, Expr orElse, SourceLocation loc) {
            super(loc);
            this.condition = condition;
            this.then = then;
            this.orElse = orElse;
        }

        @Override
        Object evaluate(Frame f) {
            return truth(condition, f) ? then.eval(f) : orElse.eval(f);
        }
    }

    /** A condition (if, while, a comprehension's if): the truth of its expression, its errors placed there. */
    static final class Truth extends Expr {
        final Expr value;

        Truth(Expr value) {
            super(value.loc);
            this.value = value;
        }

        @Override
        Object evaluate(Frame f) {
            Object v = value.eval(f);
            return v instanceof Boolean b ? b : Values.truthy(v);
        }
    }

    static boolean truth(Expr condition, Frame f) {
        return (Boolean) condition.eval(f);
    }

    /** Gives the items a for loop visits; tensors yield their rows (slices along dim 0). */
    static Iterator<Object> iterate(Frame f, Object source, SourceLocation loc) {
        if (source instanceof RangeValue r) {
            return r.iterator();
        }
        if (source instanceof PyList l) {
            List<Object> items = l.items();
            return new Iterator<>() {
                int i;

                @Override
                public boolean hasNext() {
                    return i < items.size();
                }

                @Override
                public Object next() {
                    return items.get(i++);
                }
            };
        }
        if (source instanceof Tuple t) {
            return t.asList().iterator();
        }
        if (source instanceof String s) {
            return s.codePoints().mapToObj(c -> (Object) Character.toString(c)).iterator();
        }
        if (source instanceof NDArray a) {
            Shape shape = a.getShape();
            if (shape.dimension() == 0) {
                throw Interpreter.error("cannot loop over a 0-dimensional tensor", loc);
            }
            long n = shape.get(0);
            Interpreter in = f.in;
            return new Iterator<>() {
                long i;

                @Override
                public boolean hasNext() {
                    return i < n;
                }

                @Override
                public Object next() {
                    return in.adopt(a.get(i++), a);
                }
            };
        }
        if (source instanceof ScriptIterable s) {
            return s.iterator(f.in);
        }
        throw Interpreter.error("cannot loop over " + Values.aTypeName(source), loc);
    }

    static void assignAll(Target[] targets, Frame f, Object value, SourceLocation loc) {
        if (targets.length == 1) {
            targets[0].assign(f, value);
            return;
        }
        List<Object> items = unpack(value, targets.length, loc);
        for (int i = 0; i < targets.length; i++) {
            targets[i].assign(f, items.get(i));
        }
    }

    private static List<Object> unpack(Object value, int n, SourceLocation loc) {
        List<Object> items;
        if (value instanceof Tuple t) {
            items = t.asList();
        } else if (value instanceof PyList l) {
            items = l.items();
        } else {
            throw Interpreter.error("cannot unpack " + Values.aTypeName(value) + " into " + n + " names", loc);
        }
        if (items.size() != n) {
            throw Interpreter.error("cannot unpack " + items.size() + " values into " + n + " names", loc);
        }
        return new ArrayList<>(items);
    }

    // ------------------------------------------------------------------ statements

    /** A statement that opens its own scope for temporaries. */
    abstract static class SimpleStmt extends Stmt {
        SimpleStmt(SourceLocation loc) {
            super(loc);
        }

        @Override
        final int exec(Frame f) {
            Interpreter in = f.in;
            in.checkpoint(loc);
            Memory mem = in.mem;
            int level = mem.enter();
            try {
                run(f);
                return NORMAL;
            } catch (RuntimeException e) {
                throw Interpreter.locate(e, loc);
            } finally {
                mem.exit(level);
            }
        }

        abstract void run(Frame f);
    }

    static final class ExprStmt extends SimpleStmt {
        final Expr expr;
        final boolean echo;

        ExprStmt(Expr expr, boolean echo, SourceLocation loc) {
            super(loc);
            this.expr = expr;
            this.echo = echo;
        }

        @Override
        void run(Frame f) {
            Object v = expr.eval(f);
            if (echo && v != NoneValue.NONE) {
                f.in.checkStopAt(loc);
                f.in.echo(v);
            }
        }
    }

    static final class Assign extends SimpleStmt {
        final Target[] targets;
        final Expr value;

        Assign(Target[] targets, Expr value, SourceLocation loc) {
            super(loc);
            this.targets = targets;
            this.value = value;
        }

        @Override
        void run(Frame f) {
            if (value instanceof FusedReduce fused && targets.length == 1 && targets[0] instanceof IndexTarget t) {
                // Y[i, j] = (...).sum(): a result computed on the Java side is written without a tensor
                Object v = fused.evalValue(f);
                f.in.checkStopAt(loc);
                t.assign(f, v);
                return;
            }
            Object v = value.eval(f);
            // A stop asked for while a long native operation ran is honoured before anything is stored.
            f.in.checkStopAt(loc);
            assignAll(targets, f, v, loc);
        }
    }

    static final class AugAssign extends SimpleStmt {
        final Target target;
        final BinaryOp op;
        final Expr value;

        AugAssign(Target target, BinaryOp op, Expr value, SourceLocation loc) {
            super(loc);
            this.target = target;
            this.op = op;
            this.value = value;
        }

        @Override
        void run(Frame f) {
            if (target instanceof IndexTarget it) {
                runIndexed(f, it);
                return;
            }
            Object current = target.read(f);
            Object rhs = value.eval(f);
            f.in.checkStopAt(loc);
            if (current instanceof NDArray a && f.in.inPlace(a, op, rhs)) {
                return; // tensors change in place, as in PyTorch
            }
            if (current instanceof PyList l && Operators.listInPlace(f.in, op, l, rhs)) {
                return; // so do lists, as in Python
            }
            target.assign(f, combine(f, current, rhs));
        }

        /**
         * {@code X[i] op= v} as Python runs it: X and i evaluated once, the part read, v
         * evaluated, the part changed in place and, only when the read gave a copy (a reversed
         * slice, a list item), stored back.
         */
        private void runIndexed(Frame f, IndexTarget it) {
            Object t = it.target.eval(f);
            Object[] at = evalSubs(it.subs, f);
            Object current;
            try {
                current = f.in.index(t, at);
            } catch (RuntimeException e) {
                throw Interpreter.locate(e, it.loc);
            }
            Object rhs = value.eval(f);
            f.in.checkStopAt(loc);
            Object result;
            if (current instanceof NDArray a && f.in.inPlace(a, op, rhs)) {
                if (Indexing.readsView(t, at)) {
                    return;
                }
                result = a;
            } else if (current instanceof PyList l && Operators.listInPlace(f.in, op, l, rhs)) {
                result = l; // stored back, as Python does: t[0] += [1] changes the list, then refuses the tuple
            } else {
                result = combine(f, current, rhs);
            }
            try {
                f.in.indexSet(t, at, result);
            } catch (RuntimeException e) {
                throw Interpreter.locate(e, it.loc);
            }
        }

        private Object combine(Frame f, Object current, Object rhs) {
            return f.in.binary(op, current, rhs);
        }
    }

    static final class If extends Stmt {
        final Expr condition;
        final Stmt[] then;
        final Stmt[] orElse;

        If(Expr condition, Stmt[] then, Stmt[] orElse, SourceLocation loc) {
            super(loc);
            this.condition = condition;
            this.then = then;
            this.orElse = orElse;
        }

        @Override
        int exec(Frame f) {
            f.in.checkpoint(loc);
            return execBlock(condition(f, condition) ? then : orElse, f);
        }
    }

    /** Evaluates a condition in a scope of its own, so that its temporaries go at once. */
    static boolean condition(Frame f, Expr condition) {
        Memory mem = f.in.mem;
        int level = mem.enter();
        try {
            return truth(condition, f);
        } finally {
            mem.exit(level);
        }
    }

    static final class While extends Stmt {
        final Expr condition;
        final Stmt[] body;

        While(Expr condition, Stmt[] body, SourceLocation loc) {
            super(loc);
            this.condition = condition;
            this.body = body;
        }

        @Override
        int exec(Frame f) {
            while (true) {
                f.in.checkpoint(loc);
                if (!condition(f, condition)) {
                    return NORMAL;
                }
                int status = execBlock(body, f);
                if (status == BREAK) {
                    return NORMAL;
                }
                if (status == RETURN) {
                    return RETURN;
                }
            }
        }
    }

    static final class For extends Stmt {
        final Target[] targets;
        final Expr iterable;
        final Stmt[] body;

        For(Target[] targets, Expr iterable, Stmt[] body, SourceLocation loc) {
            super(loc);
            this.targets = targets;
            this.iterable = iterable;
            this.body = body;
        }

        @Override
        int exec(Frame f) {
            Interpreter in = f.in;
            in.checkpoint(loc);
            Memory mem = in.mem;
            int level = mem.enter();
            try {
                Object source = iterable.eval(f);
                if (source instanceof RangeValue r && r.small && targets.length == 1) {
                    return countedLoop(f, in, r);
                }
                mem.pin(source, level);
                Iterator<Object> it;
                try {
                    it = iterate(f, source, iterable.loc);
                } catch (RuntimeException e) {
                    throw Interpreter.locate(e, iterable.loc);
                }
                while (true) {
                    Object item;
                    try {
                        if (!it.hasNext()) {
                            return NORMAL;
                        }
                        item = it.next();
                    } catch (RuntimeException e) {
                        throw Interpreter.locate(e, iterable.loc);
                    }
                    assignAll(targets, f, item, loc);
                    int status = iteration(f, in);
                    if (status != NORMAL) {
                        return status == RETURN ? RETURN : NORMAL;
                    }
                }
            } finally {
                mem.exit(level);
            }
        }

        /** for i in range(...): a plain counter, the commonest loop. */
        private int countedLoop(Frame f, Interpreter in, RangeValue r) {
            Target target = targets[0];
            long step = r.step;
            long stop = r.stop;
            for (long i = r.start; step > 0 ? i < stop : i > stop; i += step) {
                target.assign(f, i);
                int status = iteration(f, in);
                if (status != NORMAL) {
                    return status == RETURN ? RETURN : NORMAL;
                }
            }
            return NORMAL;
        }

        /** Runs the body once: NORMAL to go on (continue included), else BREAK or RETURN. */
        private int iteration(Frame f, Interpreter in) {
            int status = execBlock(body, f);
            if (status == BREAK || status == RETURN) {
                return status;
            }
            in.checkpoint(loc);
            return NORMAL;
        }
    }

    static final class Return extends Stmt {
        final Expr value;

        Return(Expr value, SourceLocation loc) {
            super(loc);
            this.value = value;
        }

        @Override
        int exec(Frame f) {
            Object v = value == null ? NoneValue.NONE : value.eval(f);
            f.in.mem.promote(v, f.base);
            f.returnValue = v;
            return RETURN;
        }
    }

    static final class Jump extends Stmt {
        final int status;

        Jump(int status, SourceLocation loc) {
            super(loc);
            this.status = status;
        }

        @Override
        int exec(Frame f) {
            return status;
        }
    }

    static final class FnDef extends Stmt {
        final FunctionValue.Code code;
        final Target target;
        final boolean nested;

        FnDef(FunctionValue.Code code, Target target, boolean nested, SourceLocation loc) {
            super(loc);
            this.code = code;
            this.target = target;
            this.nested = nested;
        }

        @Override
        int exec(Frame f) {
            f.in.checkpoint(loc);
            target.assign(f, new FunctionValue(code, nested ? f : null, defaults(code, f)));
            return NORMAL;
        }
    }

    /** Default values, evaluated once where a function or layer is defined. */
    static Object[] defaults(FunctionValue.Code code, Frame f) {
        Object[] defaults = new Object[code.params.length];
        for (int i = 0; i < defaults.length; i++) {
            if (code.defaultExprs[i] != null) {
                defaults[i] = code.defaultExprs[i].eval(f);
                f.in.mem.keep(defaults[i]);
            }
        }
        return defaults;
    }

}
