package io.cnnscript.interp;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.cnnscript.value.PyList;
import io.cnnscript.value.Traversable;
import io.cnnscript.value.Tuple;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Who owns each tensor, so that native memory stays bounded.
 *
 * <p>Temporaries belong to the scope of the statement that made them (a stack of levels, one
 * manager per level, made on first use and reused) and are freed when the statement ends. A
 * value stored in a variable or a list moves to the {@code vars} manager; those are freed by a
 * mark-and-sweep from the roots (globals, live frames, pinned values) once their number has
 * doubled since the last sweep. Layers own their parameters in managers of their own.
 */
final class Memory {

    final NDManager root;
    final NDManager vars;
    private final NDManager temps;
    private NDManager[] levels = new NDManager[32];
    private boolean[] used = new boolean[32];
    private List<Object>[] pins = newPins(32);
    private int depth;

    private final Set<NDArray> tracked = Collections.newSetFromMap(new IdentityHashMap<>());
    private int sweepAt = MIN_SWEEP;
    private static final int MIN_SWEEP = 1024;

    Memory(NDManager root) {
        this.root = root;
        this.vars = root.newSubManager();
        this.temps = root.newSubManager();
    }

    @SuppressWarnings("unchecked")
    private static List<Object>[] newPins(int n) {
        return new List[n];
    }

    /** Opens a statement level; returns its number for {@link #exit}. */
    int enter() {
        int d = ++depth;
        if (d == levels.length) {
            levels = java.util.Arrays.copyOf(levels, d * 2);
            used = java.util.Arrays.copyOf(used, d * 2);
            pins = java.util.Arrays.copyOf(pins, d * 2);
        }
        return d;
    }

    /** Closes level d (and any left open above it), freeing its temporaries. */
    void exit(int d) {
        for (int l = depth; l >= d; l--) {
            if (used[l]) {
                used[l] = false;
                for (NDArray a : levels[l].getManagedArrays()) {
                    a.close();
                }
            }
            if (pins[l] != null) {
                pins[l].clear();
            }
        }
        depth = d - 1;
    }

    int depth() {
        return depth;
    }

    NDManager scope() {
        return scopeAt(depth);
    }

    NDManager scopeAt(int level) {
        NDManager m = levels[level];
        if (m == null) {
            m = temps.newSubManager();
            levels[level] = m;
        }
        used[level] = true;
        return m;
    }

    NDArray own(NDArray a) {
        NDManager m = scope();
        if (a.getManager() != m) {
            a.attach(m);
        }
        return a;
    }

    /** Keeps a value alive past its statement: it is being stored in a variable or a list. */
    void keep(Object v) {
        if (v instanceof NDArray a) {
            NDManager m = a.getManager();
            if (m != vars && m.getParentManager() == temps) {
                a.attach(vars);
                tracked.add(a);
            }
        } else if (v instanceof PyList l) {
            for (Object item : l.items()) {
                keep(item);
            }
        } else if (v instanceof Tuple t) {
            for (int i = 0; i < t.size(); i++) {
                keep(t.get(i));
            }
        }
    }

    /**
     * Hands a function's result to the caller's level: temporaries move there, and values held by
     * variables are pinned there so that a sweep while the caller's expression goes on keeps them.
     */
    void promote(Object v, int level) {
        if (v instanceof NDArray a) {
            NDManager m = a.getManager();
            if (m == vars) {
                pin(v, level);
            } else if (isDeeperLevel(m, level)) {
                a.attach(scopeAt(level));
            }
        } else if (v instanceof PyList || v instanceof Tuple || v instanceof Traversable) {
            pin(v, level);
            if (v instanceof PyList l) {
                for (Object item : l.items()) {
                    promote(item, level);
                }
            } else if (v instanceof Tuple t) {
                for (int i = 0; i < t.size(); i++) {
                    promote(t.get(i), level);
                }
            }
        }
    }

    private boolean isDeeperLevel(NDManager m, int level) {
        for (int l = level + 1; l < levels.length && levels[l] != null; l++) {
            if (levels[l] == m) {
                return true;
            }
        }
        return false;
    }

    /** Marks a value reachable while level d is open (loop iterables, results in flight). */
    void pin(Object v, int d) {
        if (pins[d] == null) {
            pins[d] = new ArrayList<>(4);
        }
        pins[d].add(v);
    }

    boolean sweepDue() {
        return tracked.size() > sweepAt;
    }

    /** Frees every tracked tensor that no root reaches. */
    void sweep(Consumer<Consumer<Object>> roots) {
        Set<Object> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Set<NDArray> live = Collections.newSetFromMap(new IdentityHashMap<>());
        ArrayList<Object> work = new ArrayList<>();
        Consumer<Object> visit = v -> {
            if (v != null && !(v instanceof Long) && !(v instanceof Double) && !(v instanceof String)
                    && !(v instanceof Boolean)) {
                work.add(v);
            }
        };
        roots.accept(visit);
        for (int l = 0; l <= depth; l++) {
            if (pins[l] != null) {
                pins[l].forEach(visit);
            }
        }
        while (!work.isEmpty()) {
            Object v = work.remove(work.size() - 1);
            if (!seen.add(v)) {
                continue;
            }
            if (v instanceof NDArray a) {
                live.add(a);
            } else if (v instanceof PyList l) {
                l.items().forEach(visit);
            } else if (v instanceof Tuple t) {
                t.asList().forEach(visit);
            } else if (v instanceof Traversable t) {
                t.forEachChild(visit);
            } else if (v instanceof Frame f) {
                for (Object s : f.slots) {
                    visit.accept(s);
                }
                visit.accept(f.parent);
            }
        }
        for (Iterator<NDArray> it = tracked.iterator(); it.hasNext(); ) {
            NDArray a = it.next();
            if (!live.contains(a)) {
                a.close();
                it.remove();
            }
        }
        sweepAt = Math.max(MIN_SWEEP, tracked.size() * 2);
    }

    /** How many native arrays this engine holds, and their bytes. */
    long[] usage() {
        long count = 0;
        long bytes = 0;
        for (NDArray a : root.getManagedArrays()) {
            count++;
            bytes += a.getShape().size() * a.getDataType().getNumOfBytes();
        }
        return new long[] {count, bytes};
    }

    int trackedCount() {
        return tracked.size();
    }

    void close() {
        root.close();
    }
}
