package io.cnnscript.interp;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import io.cnnscript.value.PyList;
import io.cnnscript.value.Traversable;
import io.cnnscript.value.Tuple;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Who owns each tensor, so that native memory stays bounded.
 *
 * <p>Every tensor a call or an operation returns new is adopted by the statement that is
 * running (a stack of levels; {@link #adopt}, the one way in) and closed when that statement
 * ends, unless it was stored first; what an operation makes on the way and does not return is
 * closed with its scratch scope ({@link #scratch}). A value stored
 * in a variable, a list or a layer is <em>kept</em>: it leaves its level and joins the set of
 * kept tensors, which a mark-and-sweep from the roots (globals, live frames, pinned values)
 * frees once that set has doubled since the last sweep. DJL managers only decide where the
 * engine's arrays are freed at the very end; bookkeeping per statement is done here with
 * plain lists, because moving arrays between DJL managers costs more than the operations.
 */
final class Memory {

    final NDManager root;
    final NDManager vars;
    private final NDManager temps;
    private ArrayList<NDArray>[] owned = newLists(32);
    private List<Object>[] pins = newLists(32);
    private int depth;

    private final Set<NDArray> kept = Collections.newSetFromMap(new IdentityHashMap<>());
    /** Tensors some open level owns; a tensor is owned once, however often it is adopted. */
    private final Set<NDArray> owning = Collections.newSetFromMap(new IdentityHashMap<>());
    private int sweepAt = MIN_SWEEP;
    private static final int MIN_SWEEP = 1024;
    /** Bytes of the kept tensors (as they were when kept), and the level that triggers a sweep. */
    private long keptBytes;
    private long sweepAtBytes = MIN_SWEEP_BYTES;
    private static final long MIN_SWEEP_BYTES = 64L << 20;
    private static final int BYTE_SAMPLE = 16;
    private long keptSeen;

    private static long bytes(NDArray a) {
        return a.getShape().size() * a.getDataType().getNumOfBytes();
    }

    Memory(NDManager root) {
        this.root = root;
        this.vars = root.newSubManager();
        this.temps = root.newSubManager();
    }

    @SuppressWarnings("unchecked")
    private static <T> T[] newLists(int n) {
        return (T[]) new ArrayList[n];
    }

    /** Opens a statement level; returns its number for {@link #exit}. */
    int enter() {
        if (scratchDepth > 0) {
            throw new IllegalStateException("script code ran inside a scratch scope (a built-in that runs script "
                    + "code must be made with Builtin.lasting)");
        }
        int d = ++depth;
        if (d == owned.length) {
            owned = Arrays.copyOf(owned, d * 2);
            pins = Arrays.copyOf(pins, d * 2);
        }
        return d;
    }

    /** Closes level d (and any left open above it), freeing the tensors it still owns. */
    void exit(int d) {
        for (int l = depth; l >= d; l--) {
            ArrayList<NDArray> list = owned[l];
            if (list != null && !list.isEmpty()) {
                for (int i = 0, n = list.size(); i < n; i++) {
                    NDArray a = list.get(i);
                    if (a != null) {
                        owning.remove(a);
                        if (!a.isReleased()) {
                            a.close();
                        }
                    }
                }
                list.clear();
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

    /**
     * The manager new tensors are made in. Nothing made there needs registering: a result is
     * adopted ({@link #adopt}), and what an operation makes on the way is closed by the scratch
     * scope it runs in ({@link #scratch}).
     */
    NDManager scope() {
        return temps;
    }

    /**
     * A scratch scope for one operation (a built-in's body, an operator, an index or an attribute
     * on tensors): DJL's {@link NDScope} collects every tensor made while it is open, and closing
     * it closes them all but those {@link #adopt} took (it unregisters them). A tensor made
     * before the scope opened is never in it, so a scratch scope cannot close what something
     * else holds. Script code must not run inside one (what its statements store would be in
     * it): {@link #enter} refuses, so a built-in that may run script code is a lasting one.
     */
    NDScope scratch() {
        return new Scratch();
    }

    /** Scratch scopes open now; see {@link #scratch}. */
    private int scratchDepth;

    private final class Scratch extends NDScope {
        Scratch() {
            scratchDepth++;
        }

        @Override
        public void close() {
            try {
                super.close();
            } finally {
                scratchDepth--;
            }
        }
    }

    /**
     * Registers a new tensor with the running statement; used by {@link #adopt} alone. It refuses
     * a tensor something else holds, whatever the caller believed: a kept one (a variable's, a
     * list's) and one its holder keeps in a holder's manager ({@link #held}), so no result, however
     * it was come by, has the statement close another holder's tensor.
     */
    private void own(NDArray a) {
        if (!owning.contains(a) && !kept.contains(a) && !held(a)) {
            owning.add(a);
            ownAt(a, depth);
        }
    }

    /**
     * Whether a holder keeps a in its manager: a layer's parameter or buffer (not a result an
     * operation on one made there: x.T of a weight lives in the weight's manager too), or any
     * tensor of a manager made for a holder that does not list its tensors.
     */
    private boolean held(NDArray a) {
        NDManager m = a.getManager();
        if (!holders.containsKey(m)) {
            return false;
        }
        if (holders.get(m) instanceof io.cnnscript.nn.Layer layer) {
            for (io.cnnscript.nn.Layer.Param p : layer.state()) {
                if (p.value() == a) {
                    return true;
                }
            }
            return false;
        }
        return true;
    }

    /**
     * See {@link io.cnnscript.value.Runtime#adopt}: the one place a result gets its owner. A new
     * tensor leaves the scratch scope it was made in (when one is open) for the running statement.
     */
    Object adopt(Object result, Object[] inputs) {
        if (result instanceof NDArray a) {
            if (!given(a, inputs)) {
                take(a);
            }
        } else if (result instanceof Tuple || result instanceof PyList) {
            adoptItems(result, givenSet(inputs), 0);
        } else if (result instanceof io.cnnscript.value.Borrowed b) {
            return b.value();
        }
        return result;
    }

    private void take(NDArray a) {
        NDScope.unregister(a);
        own(a);
    }

    /** The tensors of a returned tuple or list (zip's tuples in a list too) that the call was not given. */
    private void adoptItems(Object v, Set<Object> given, int depth) {
        if (v instanceof NDArray a) {
            if (!given.contains(a)) {
                take(a);
            }
        } else if (depth < 32 && v instanceof Tuple t) {
            for (int i = 0, n = t.size(); i < n; i++) {
                adoptItems(t.get(i), given, depth + 1);
            }
        } else if (depth < 32 && v instanceof PyList l) {
            for (Object item : l.items()) {
                adoptItems(item, given, depth + 1);
            }
        }
    }

    /** Whether a call was given a: as an argument, or as an item of a list or tuple argument. */
    private static boolean given(NDArray a, Object[] inputs) {
        for (Object in : inputs) {
            if (in == a) {
                return true;
            }
        }
        for (Object in : inputs) {
            if (in instanceof Tuple t) {
                for (int i = 0, n = t.size(); i < n; i++) {
                    if (t.get(i) == a) {
                        return true;
                    }
                }
            } else if (in instanceof PyList l) {
                for (Object item : l.items()) {
                    if (item == a) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /** The tensors a call was given, as {@link #given} counts them, for a result with many items. */
    private static Set<Object> givenSet(Object[] inputs) {
        Set<Object> out = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Object in : inputs) {
            if (in instanceof NDArray) {
                out.add(in);
            } else if (in instanceof Tuple t) {
                for (int i = 0, n = t.size(); i < n; i++) {
                    out.add(t.get(i));
                }
            } else if (in instanceof PyList l) {
                out.addAll(l.items());
            }
        }
        return out;
    }

    private void ownAt(NDArray a, int level) {
        ArrayList<NDArray> list = owned[level];
        if (list == null) {
            list = new ArrayList<>();
            owned[level] = list;
        }
        list.add(a);
    }

    /** Keeps a value alive past its statement: it is being stored in a variable, list or layer. */
    void keep(Object v) {
        keep(v, 0, null);
    }

    /**
     * Past a few levels of lists, the lists already walked are remembered: a list that holds
     * itself is walked once.
     */
    private static Set<Object> walked(Object v, int depth, Set<Object> seen) {
        if (depth < 32) {
            return seen;
        }
        Set<Object> s = seen != null ? seen : Collections.newSetFromMap(new IdentityHashMap<>());
        return s.add(v) ? s : null;
    }

    private void keep(Object v, int depth, Set<Object> seen) {
        if (v instanceof NDArray a) {
            // Only tensors a statement made change hands; a layer's parameters and other tensors
            // that something else owns stay with their owner.
            if (owning.remove(a)) {
                kept.add(a);
                // Asking libtorch for a new tensor's size costs about as much as a small op, so
                // the bytes are sampled: every 16th tensor kept stands for 16.
                if ((++keptSeen & (BYTE_SAMPLE - 1)) == 0) {
                    keptBytes += BYTE_SAMPLE * bytes(a);
                }
                release(a, 1);
            }
        } else if (v instanceof PyList || v instanceof Tuple) {
            Set<Object> s = walked(v, depth, seen);
            if (depth >= 32 && s == null) {
                return;
            }
            if (v instanceof PyList l) {
                for (Object item : l.items()) {
                    keep(item, depth + 1, s);
                }
            } else {
                Tuple t = (Tuple) v;
                for (int i = 0; i < t.size(); i++) {
                    keep(t.get(i), depth + 1, s);
                }
            }
        }
    }

    /** Takes a from the first level at or above `from` (searching down from the top) that owns it. */
    private boolean release(NDArray a, int from) {
        for (int l = depth; l >= from; l--) {
            ArrayList<NDArray> list = owned[l];
            if (list == null) {
                continue;
            }
            for (int i = list.size() - 1; i >= 0; i--) {
                if (list.get(i) == a) {
                    list.set(i, null);
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Hands a function's result to the caller's level: temporaries of deeper levels move there,
     * and values held by variables are pinned there so that a sweep while the caller's
     * expression goes on keeps them.
     */
    void promote(Object v, int level) {
        promote(v, level, 0, null);
    }

    private void promote(Object v, int level, int depth, Set<Object> seen) {
        if (v instanceof NDArray a) {
            if (kept.contains(a)) {
                pin(v, level);
            } else if (release(a, level + 1)) {
                ownAt(a, level);
            }
        } else if (v instanceof PyList || v instanceof Tuple || v instanceof Traversable) {
            Set<Object> s = walked(v, depth, seen);
            if (depth >= 32 && s == null) {
                return;
            }
            pin(v, level);
            if (v instanceof PyList l) {
                for (Object item : l.items()) {
                    promote(item, level, depth + 1, s);
                }
            } else if (v instanceof Tuple t) {
                for (int i = 0; i < t.size(); i++) {
                    promote(t.get(i), level, depth + 1, s);
                }
            }
        }
    }

    /** Marks a value reachable while level d is open (loop iterables, results in flight). */
    void pin(Object v, int d) {
        if (pins[d] == null) {
            pins[d] = new ArrayList<>(4);
        }
        pins[d].add(v);
    }

    /** A sweep is due when the kept tensors have doubled in number or in bytes since the last one. */
    boolean sweepDue() {
        return kept.size() > sweepAt || keptBytes > sweepAtBytes;
    }

    /** Managers of layers' parameters, by layer; see {@link #ownedManager}. */
    private final java.util.Map<Object, NDManager> ownerManagers = new IdentityHashMap<>();
    /** Every manager made for a holder, to its holder (null for {@link #heldManager}'s); see {@link #held}. */
    private final java.util.Map<NDManager, Object> holders = new IdentityHashMap<>();

    /**
     * A manager for long-lived tensors whose holder keeps all of them (a per-engine state such as
     * NotDifferentiable's marks); freed when the engine closes. No statement ever owns its tensors.
     */
    NDManager heldManager() {
        NDManager m = root.newSubManager();
        holders.put(m, null);
        return m;
    }

    /**
     * A manager for an owner's tensors (a layer's parameters), freed by a sweep that finds
     * neither the owner nor any of its tensors reachable. {@code bytes} (what is about to be
     * made there) counts towards the next sweep, as kept tensors do.
     */
    NDManager ownedManager(Object owner, long bytes) {
        NDManager m = root.newSubManager();
        NDManager old = ownerManagers.put(owner, m);
        holders.put(m, owner);
        if (old != null) {
            holders.remove(old);
            old.close();
        }
        keptBytes += bytes;
        return m;
    }

    /** Frees every kept tensor that no root reaches; with {@code owners}, unreachable layers' parameters too. */
    void sweep(Consumer<Consumer<Object>> roots, boolean owners) {
        Set<Object> seen = Collections.newSetFromMap(new IdentityHashMap<>());
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
            if (v instanceof NDArray || !seen.add(v)) {
                if (v instanceof NDArray) {
                    seen.add(v);
                }
                continue;
            }
            if (v instanceof PyList l) {
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
        long sampledBytes = 0;
        int sampled = 0;
        for (Iterator<NDArray> it = kept.iterator(); it.hasNext(); ) {
            NDArray a = it.next();
            if (!seen.contains(a)) {
                if (!a.isReleased()) {
                    a.close();
                }
                it.remove();
            } else if (sampled < 64) {
                sampledBytes += bytes(a);
                sampled++;
            }
        }
        if (owners) {
            for (Iterator<java.util.Map.Entry<Object, NDManager>> it = ownerManagers.entrySet().iterator();
                    it.hasNext(); ) {
                java.util.Map.Entry<Object, NDManager> e = it.next();
                if (!seen.contains(e.getKey()) && !holdsAny(e.getValue(), seen)) {
                    holders.remove(e.getValue());
                    e.getValue().close();
                    it.remove();
                }
            }
        }
        long liveBytes = sampled == 0 ? 0 : sampledBytes / sampled * kept.size();
        keptBytes = liveBytes;
        sweepAt = Math.max(MIN_SWEEP, kept.size() * 2);
        sweepAtBytes = Math.max(MIN_SWEEP_BYTES, liveBytes * 2);
    }

    /** Whether a variable or list still holds one of the manager's tensors (`w = net.weight`). */
    private static boolean holdsAny(NDManager m, Set<Object> seen) {
        for (NDArray a : m.getManagedArrays()) {
            if (seen.contains(a)) {
                return true;
            }
        }
        return false;
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


    void close() {
        root.close();
    }
}
