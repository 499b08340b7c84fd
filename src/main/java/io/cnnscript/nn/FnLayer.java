package io.cnnscript.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import io.cnnscript.lib.Args;
import io.cnnscript.lib.Signature;
import io.cnnscript.value.Runtime;
import io.cnnscript.value.TensorFormat;
import java.util.List;

/**
 * A layer without parameters: Sigmoid, ReLU, Tanh, Softmax, Flatten. The global value is a
 * layer already, so {@code Sigmoid} and {@code Sigmoid()} are the same; Softmax and Flatten take
 * their options when called ({@code Softmax(dim=1)}, {@code Flatten(1, -1)}).
 */
final class FnLayer extends Layer implements io.cnnscript.value.PerEngine {

    enum Kind { SIGMOID, RELU, TANH, SOFTMAX, FLATTEN }

    private final Kind kind;
    private final int dim;
    private final int endDim;

    FnLayer(Kind kind, int dim, int endDim) {
        this.kind = kind;
        this.dim = dim;
        this.endDim = endDim;
    }

    /** Each engine's Sigmoid, ReLU, ... is its own module, as each ReLU() is. */
    @Override
    public Object copyForEngine() {
        return new FnLayer(kind, dim, endDim);
    }

    static FnLayer of(Kind kind) {
        return switch (kind) {
            case SOFTMAX -> new FnLayer(kind, 1, 0);
            case FLATTEN -> new FnLayer(kind, 1, -1);
            default -> new FnLayer(kind, 0, 0);
        };
    }

    @Override
    protected String text() {
        return switch (kind) {
            case SIGMOID -> "Sigmoid()";
            case RELU -> "ReLU()";
            case TANH -> "Tanh()";
            case SOFTMAX -> "Softmax(dim=" + dim + ")";
            case FLATTEN -> "Flatten(start_dim=" + dim + ", end_dim=" + endDim + ")";
        };
    }

    /** The options each kind takes, as PyTorch's constructors: the one text docs and binding read. */
    static Signature signature(Kind kind) {
        return SIGNATURES.get(kind);
    }

    private static final java.util.Map<Kind, Signature> SIGNATURES = java.util.Map.of(
            Kind.SIGMOID, Signature.parse("Sigmoid()"),
            Kind.RELU, Signature.parse("ReLU()"),
            Kind.TANH, Signature.parse("Tanh()"),
            Kind.SOFTMAX, Signature.parse("Softmax(dim=1)"),
            Kind.FLATTEN, Signature.parse("Flatten(start_dim=1, end_dim=-1)"));

    /** A new layer of kind with the options a bound. */
    static FnLayer make(Kind kind, Args a) {
        return switch (kind) {
            case SOFTMAX -> new FnLayer(kind, a.toInt("dim", "Softmax dim"), 0);
            case FLATTEN -> new FnLayer(kind, a.toInt("start_dim", "Flatten start_dim"),
                    a.toInt("end_dim", "Flatten end_dim"));
            default -> new FnLayer(kind, 0, 0); // a new module, as ReLU() is in PyTorch
        };
    }

    /**
     * {@code Sigmoid()} gives the layer, {@code Sigmoid(X)} (or {@code input=X}) applies it to a tensor,
     * {@code Softmax(dim=0)} and {@code Flatten(1, -1)} configure a new one.
     */
    @Override
    public Object call(Runtime rt, Object[] args, String[] kn, Object[] kv) {
        boolean options = kind == Kind.SOFTMAX || kind == Kind.FLATTEN;
        boolean one = args.length + kn.length == 1 && (kn.length == 0 || kn[0].equals("input"));
        if (one && (!options || (args.length == 1 ? args[0] : kv[0]) instanceof NDArray)) {
            return super.call(rt, args, kn, kv);
        }
        return make(kind, signature(kind).bind(args, kn, kv));
    }

    private static int axis(int d, int rank) {
        return d < 0 ? d + rank : d;
    }

    @Override
    protected String mismatch(Shape in) {
        int rank = in.dimension();
        if (kind == Kind.SOFTMAX) {
            int a = axis(dim, rank);
            if (a < 0 || a >= rank) {
                return "has dim=" + dim + ", which an input of shape " + TensorFormat.shape(in) + " does not have";
            }
        } else if (kind == Kind.FLATTEN) {
            int s = axis(dim, rank);
            int e = axis(endDim, rank);
            if (s < 0 || e >= rank || s > e) {
                return "cannot flatten dimensions " + dim + " to " + endDim + " of an input of shape "
                        + TensorFormat.shape(in);
            }
        }
        return null;
    }

    @Override
    protected NDArray forward(Runtime rt, NDArray x, boolean training) {
        return switch (kind) {
            case SIGMOID -> Activation.sigmoid(x);
            case RELU -> Activation.relu(x);
            case TANH -> Activation.tanh(x);
            case SOFTMAX -> x.softmax(axis(dim, x.getShape().dimension()));
            case FLATTEN -> x.reshape(flatShape(x.getShape()));
        };
    }

    private Shape flatShape(Shape in) {
        int rank = in.dimension();
        int s = axis(dim, rank);
        int e = axis(endDim, rank);
        long[] dims = new long[rank - (e - s)];
        int k = 0;
        for (int i = 0; i < s; i++) {
            dims[k++] = in.get(i);
        }
        long prod = 1;
        for (int i = s; i <= e; i++) {
            prod *= in.get(i);
        }
        dims[k++] = prod;
        for (int i = e + 1; i < rank; i++) {
            dims[k++] = in.get(i);
        }
        return new Shape(dims);
    }
}
