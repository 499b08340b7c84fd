package io.cnnscript.interp;

import ai.djl.ndarray.NDArray;
import io.cnnscript.lib.HostTensors;
import io.cnnscript.lib.Indexing;
import io.cnnscript.lib.Members;
import io.cnnscript.lib.Operators;
import io.cnnscript.lib.SliceSpec;
import io.cnnscript.syntax.BinaryOp;
import io.cnnscript.syntax.SourceLocation;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@code E.sum()} (or mean, max, min) where E slices tensors and combines them with + - * /, as
 * in the notebook's {@code (X[i:i + h, j:j + w] * K).sum()}. When every tensor involved passes
 * the gate of {@link HostTensors#view} (float32, its own memory readable, and no tensor of the
 * engine recording gradients) and the slices are small, the slicing, arithmetic and reduction are
 * done in Java on the tensors' memory and the result stays a Java float until something
 * needs it as a tensor: {@code Y[i, j] = ...} writes it straight into Y. Anything else goes through
 * libtorch exactly as the unfused nodes would, in the same order, with the same errors.
 */
final class FusedReduce extends Nodes.Expr {

    /** The operands and operators of E in postfix order: Index and value leaves, and Binary nodes as operators. */
    private final Nodes.Expr[] program;
    private final String name;
    private final int depth;

    private FusedReduce(Nodes.Expr[] program, String name, int depth, SourceLocation loc) {
        super(loc);
        this.program = program;
        this.name = name;
        this.depth = depth;
    }

    /** The fused node for {@code target.name()}, or null when the shape of the expression does not fit. */
    static FusedReduce of(Nodes.Expr target, String name, SourceLocation loc) {
        if (!(name.equals("sum") || name.equals("mean") || name.equals("max") || name.equals("min"))) {
            return null;
        }
        if (!(target instanceof Nodes.Index || target instanceof Nodes.Binary b && fusable(b.op))) {
            return null;
        }
        List<Nodes.Expr> out = new ArrayList<>();
        int depth = flatten(target, out);
        return new FusedReduce(out.toArray(new Nodes.Expr[0]), name, depth, loc);
    }

    private static boolean fusable(BinaryOp op) {
        return op == BinaryOp.ADD || op == BinaryOp.SUB || op == BinaryOp.MUL || op == BinaryOp.DIV;
    }

    /** Appends e in postfix order; returns the stack depth it needs. */
    private static int flatten(Nodes.Expr e, List<Nodes.Expr> out) {
        if (e instanceof Nodes.Binary b && fusable(b.op)) {
            int l = flatten(b.left, out);
            int r = flatten(b.right, out);
            out.add(b);
            return Math.max(l, r + 1);
        }
        out.add(e);
        return 1;
    }

    @Override
    Object evaluate(Frame f) {
        Object v = evalValue(f);
        if (v instanceof Float x) {
            return f.in.adopt(io.cnnscript.lib.JavaData.own(f.in.scope().create((float) x)));
        }
        return v;
    }

    /** The value, with a Java-side result as a Float (only an index assignment may see that). */
    Object evalValue(Frame f) {
        Interpreter in = f.in;
        Object[] stack = new Object[depth];
        int sp = 0;
        for (Nodes.Expr node : program) {
            if (node instanceof Nodes.Binary b && fusable(b.op)) {
                Object y = stack[--sp];
                Object x = stack[sp - 1];
                Object r = hostBinary(b.op, x, y);
                if (r == null) {
                    try {
                        r = in.binary(b.op, materialize(in, x), materialize(in, y));
                    } catch (RuntimeException e) {
                        throw Interpreter.locate(e, b.loc);
                    }
                }
                stack[sp - 1] = r;
            } else if (node instanceof Nodes.Index ix) {
                Object t = ix.target.eval(f);
                Object[] at = Nodes.evalSubs(ix.subs, f);
                Block block = t instanceof NDArray a ? slice(in, a, at, at) : null;
                if (block != null) {
                    stack[sp++] = block;
                } else {
                    try {
                        stack[sp++] = in.index(t, at);
                    } catch (RuntimeException e) {
                        throw Interpreter.locate(e, ix.loc);
                    }
                }
            } else {
                Object v = node.eval(f);
                Block block = v instanceof NDArray a ? slice(in, a, Nodes.NO_VALUES, null) : null;
                stack[sp++] = block != null ? block : v;
            }
        }
        Object top = stack[0];
        if (top instanceof Block b) {
            Float r = reduce(in, b);
            if (r != null) {
                return r;
            }
            top = materialize(in, b);
        }
        try {
            return Members.call(in.library(), in, top, name, Nodes.NO_VALUES, NO_NAMES, Nodes.NO_VALUES);
        } catch (RuntimeException e) {
            throw Interpreter.locate(e, loc);
        }
    }

    private static final String[] NO_NAMES = new String[0];

    /**
     * A small float32 block computed on the Java side: values row-major, its shape, and how
     * libtorch would lay it out when reducing it: {@code rows} runs of {@code cols} elements
     * ({@code rows == 1}: contiguous; {@code rows == 0}: a layout whose order is not reproduced).
     */
    private record Block(float[] values, long[] shape, int rows, int cols, Object source, Object[] subs) {}

    /**
     * x[subs] read from x's memory, or null when that must go through libtorch. The block
     * remembers x and the subscripts it came from ({@code sourceSubs}; null for all of x), so that
     * libtorch gets the very same tensor if it has to take over.
     */
    private static Block slice(Interpreter in, NDArray x, Object[] subs, Object[] sourceSubs) {
        HostTensors.View view = HostTensors.view(in, x);
        if (view == null || subs.length > view.shape.length) {
            return null;
        }
        int dims = view.shape.length;
        long offset = 0;
        long[] shape = new long[dims];
        long[] strides = new long[dims];
        int kept = 0;
        long n = 1;
        for (int d = 0; d < dims; d++) {
            long size = view.shape[d];
            long stride = view.stride(d);
            Object sub = d < subs.length ? subs[d] : null;
            if (sub == null) {
                shape[kept] = size;
                strides[kept++] = stride;
                n *= size;
            } else if (sub instanceof Long i) {
                long at = i < 0 ? i + size : i;
                if (at < 0 || at >= size) {
                    return null;
                }
                offset += at * stride;
            } else if (sub instanceof SliceSpec s) {
                long[] r = s.resolve(size);
                if (r[2] <= 0) {
                    return null;
                }
                long count = SliceSpec.count(r);
                offset += r[0] * stride;
                shape[kept] = count;
                strides[kept++] = stride * r[2];
                n *= count;
            } else {
                return null;
            }
        }
        if (n == 0 || n > HostTensors.MAX_ELEMENTS) {
            return null;
        }
        shape = Arrays.copyOf(shape, kept);
        strides = Arrays.copyOf(strides, kept);
        float[] values = new float[(int) n];
        java.nio.ByteBuffer data = view.data;
        int[] index = new int[kept];
        long at = offset;
        for (int i = 0; i < values.length; i++) {
            values[i] = data.getFloat((int) (at * 4));
            // step the row-major counter
            for (int d = kept - 1; d >= 0; d--) {
                at += strides[d];
                if (++index[d] < shape[d]) {
                    break;
                }
                at -= strides[d] * shape[d];
                index[d] = 0;
            }
        }
        return laidOut(values, shape, strides, x, sourceSubs);
    }

    /** The dimensions libtorch would iterate over after dropping size-1 dims and merging contiguous ones. */
    private static long[][] coalesce(long[] shape, long[] strides) {
        long[] s = new long[shape.length];
        long[] st = new long[shape.length];
        int k = 0;
        for (int d = 0; d < shape.length; d++) {
            if (shape[d] == 1) {
                continue;
            }
            if (k > 0 && st[k - 1] == shape[d] * strides[d]) {
                s[k - 1] *= shape[d];
                st[k - 1] = strides[d];
            } else {
                s[k] = shape[d];
                st[k++] = strides[d];
            }
        }
        return new long[][] {Arrays.copyOf(s, k), Arrays.copyOf(st, k)};
    }

    /** The block, with the layout libtorch would reduce it in (see {@link Block}). */
    private static Block laidOut(float[] values, long[] shape, long[] strides, NDArray source, Object[] subs) {
        long[][] c = coalesce(shape, strides);
        int k = c[0].length;
        int rows = 0;
        int cols = values.length;
        if (k == 0 || k == 1 && c[1][0] == 1) {
            rows = 1;
        } else if (k == 2 && c[1][1] == 1 && c[1][0] > c[0][1]) {
            rows = (int) c[0][0];
            cols = (int) c[0][1];
        }
        return new Block(values, shape, rows, cols, source, subs);
    }

    private static boolean isScalar(Object v) {
        return v instanceof Long || v instanceof Double;
    }

    private static float scalar(Object v) {
        return v instanceof Long l ? (float) (long) l : (float) (double) (Double) v;
    }

    /** x op y on the Java side, or null when either side or the shapes need libtorch. */
    private static Block hostBinary(BinaryOp op, Object x, Object y) {
        float[] a;
        float[] b;
        long[] shape;
        if (x instanceof Block bx && y instanceof Block by) {
            if (!Arrays.equals(bx.shape, by.shape)) {
                return null;
            }
            a = bx.values;
            b = by.values;
            shape = bx.shape;
        } else if (x instanceof Block bx && isScalar(y)) {
            a = bx.values;
            b = new float[] {scalar(y)};
            shape = bx.shape;
        } else if (isScalar(x) && y instanceof Block by) {
            a = new float[] {scalar(x)};
            b = by.values;
            shape = by.shape;
        } else {
            return null;
        }
        int n = Math.max(a.length, b.length);
        float[] out = new float[n];
        int sa = a.length == 1 ? 0 : 1;
        int sb = b.length == 1 ? 0 : 1;
        switch (op) {
            case ADD -> {
                for (int i = 0; i < n; i++) {
                    out[i] = a[i * sa] + b[i * sb];
                }
            }
            case SUB -> {
                for (int i = 0; i < n; i++) {
                    out[i] = a[i * sa] - b[i * sb];
                }
            }
            case MUL -> {
                for (int i = 0; i < n; i++) {
                    out[i] = a[i * sa] * b[i * sb];
                }
            }
            default -> {
                for (int i = 0; i < n; i++) {
                    out[i] = a[i * sa] / b[i * sb];
                }
            }
        }
        return new Block(out, shape, 1, n, null, null);
    }

    private static Object materialize(Interpreter in, Object v) {
        if (v instanceof Block b) {
            if (b.source == null) {
                return in.adopt(io.cnnscript.lib.JavaData.own(in.scope().create(b.values, new ai.djl.ndarray.types.Shape(b.shape))));
            }
            // a slice or a whole tensor: the tensor itself, laid out as libtorch made it
            return b.subs == null ? b.source : in.index(b.source, b.subs);
        }
        return v;
    }

    /** The reduction done as libtorch does it, or null when its order is not reproduced here. */
    private Float reduce(Interpreter in, Block b) {
        float[] v = b.values;
        switch (name) {
            case "sum":
            case "mean": {
                Float s = b.rows == 0 ? null : HostTensors.sum(in.scope(), v, b.rows, b.cols);
                return s == null || name.equals("sum") ? s : (Float) (s / (float) v.length);
            }
            default: {
                boolean max = name.equals("max");
                float best = v[0];
                boolean negativeZero = false;
                for (float x : v) {
                    if (Float.isNaN(x)) {
                        return Float.NaN;
                    }
                    negativeZero |= x == 0f && Float.floatToRawIntBits(x) != 0;
                    if (max ? x > best : x < best) {
                        best = x;
                    }
                }
                // which zero libtorch keeps among +0 and -0 depends on its order: let it decide
                return negativeZero && best == 0f ? null : best;
            }
        }
    }
}
