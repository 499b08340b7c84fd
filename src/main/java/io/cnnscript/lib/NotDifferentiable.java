package io.cnnscript.lib;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.cnnscript.error.CnnException;
import io.cnnscript.value.Runtime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Results that PyTorch 1.13 computes but cannot differentiate: {@code w // 2} for a tensor that
 * records gradients ("derivative for aten::floor_divide is not implemented") and MSE of two
 * dtypes ("Found dtype Long but expected Float"). As in PyTorch, the value is computed and
 * records gradients, and a {@code backward} that reaches it fails with PyTorch's words.
 *
 * <p>The value is made {@code v - p}, where p is a 0-d zero leaf that requires grad (v - (+0) is
 * v to the bit, -0 and nan included); after a backward pass, a p with a gradient it had not
 * before was reached. The leaves are kept per engine, at most {@link #MAX_LIVE}; past that the
 * oldest is released (a graph that old going through it would no longer be refused).
 */
public final class NotDifferentiable {

    private NotDifferentiable() {}

    static final int MAX_LIVE = 4096;

    private record Mark(NDArray leaf, String message) {}

    /** One engine's marks, the oldest first, and the manager their leaves live in (a child of the engine's). */
    private record Marks(Deque<Mark> live, NDManager manager) {}

    private static Marks marks(Runtime rt) {
        return rt.engineState(Marks.class, () -> new Marks(new ArrayDeque<>(), rt.newOwnedManager()));
    }

    /** Whether an operation on these operands would record gradients in PyTorch. */
    public static boolean recordsGradient(Object... operands) {
        if (!GradMode.isEnabled()) {
            return false;
        }
        for (Object o : operands) {
            if (o instanceof NDArray t && HostTensors.recordsGradient(t)) {
                return true;
            }
        }
        return false;
    }

    /** value (computed outside the graph, a float tensor) as a result whose backward fails with message. */
    public static NDArray mark(Runtime rt, NDArray value, String message) {
        return value.sub(newLeaf(rt, value.getDataType(), message));
    }

    /**
     * target, which records gradients and has just been overwritten outside the graph (as
     * {@code v //= 2} does), now fails a backward that reaches it with message, as PyTorch's
     * in-place op does.
     */
    public static void markInPlace(Runtime rt, NDArray target, String message) {
        NDArray leaf = newLeaf(rt, target.getDataType(), message);
        try (GradMode g = GradMode.enabled()) {
            target.subi(leaf);
        }
    }

    private static NDArray newLeaf(Runtime rt, DataType type, String message) {
        rt.noteAutograd();
        Marks all = marks(rt);
        synchronized (all) {
            NDManager m = all.manager();
            NDArray leaf = m.zeros(new ai.djl.ndarray.types.Shape(), type);
            // Kept here past the operation that made it: out of the operation's scratch scope.
            ai.djl.ndarray.NDScope.unregister(leaf);
            leaf.setRequiresGradient(true);
            Deque<Mark> marks = all.live();
            marks.addLast(new Mark(leaf, message));
            while (marks.size() > MAX_LIVE) {
                marks.removeFirst().leaf().close();
            }
            return leaf;
        }
    }

    /** The marks no backward pass has reached yet; give them to {@link #check} after the pass. */
    public static List<Object> before(Runtime rt) {
        List<Object> fresh = new ArrayList<>();
        Marks all = rt.engineState(Marks.class, () -> null);
        if (all == null) {
            return fresh;
        }
        synchronized (all) {
            Deque<Mark> marks = all.live();
            for (var it = marks.iterator(); it.hasNext(); ) {
                Mark m = it.next();
                if (reached(m)) {
                    // reached by a pass that did not check (train()): it has had its say
                    it.remove();
                    m.leaf().close();
                } else {
                    fresh.add(m);
                }
            }
        }
        return fresh;
    }

    /** Throws PyTorch's error when the backward pass just run reached one of the fresh marks. */
    public static void check(Runtime rt, List<Object> fresh) {
        if (fresh.isEmpty()) {
            return;
        }
        String message = null;
        Marks all = marks(rt);
        synchronized (all) {
            for (Object o : fresh) {
                Mark m = (Mark) o;
                if (reached(m)) {
                    message = message == null ? m.message() : message;
                    all.live().remove(m);
                    m.leaf().close();
                }
            }
        }
        if (message != null) {
            throw new CnnException("backward(): " + message);
        }
    }

    private static boolean reached(Mark m) {
        NDArray g = Torch.gradient(m.leaf());
        if (g == null) {
            return false;
        }
        g.close();
        return true;
    }

    /** PyTorch's name of a dtype in its C++ messages (Float, Long, Bool). */
    public static String torchName(DataType t) {
        return Division.torchName(t);
    }
}
