package io.cnnscript.interp;

import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * One engine's random numbers. libtorch has a single generator per process, so two engines
 * drawing from it would see each other's seeds and draws. Each engine therefore keeps its own
 * seed and the draws it made since; when it draws while the generator holds another engine's
 * state, the generator is re-seeded with this engine's seed and this engine's draws since are
 * replayed into a scratch manager (then freed). Every engine so sees exactly the numbers it
 * would see alone, which are PyTorch's for the same seed and the same draws
 * ({@code torch.manual_seed(n); torch.randn(...)}).
 *
 * <p>Replaying costs as much as the draws replayed, and only when engines take turns. To bound
 * it, an engine that has drawn more than {@link #REPLAY_LIMIT} elements (or made more than
 * {@link #REPLAY_DRAWS} draws) since its seed re-seeds
 * itself with a number from its own stream: what it draws after that no longer follows PyTorch's
 * stream for the original seed, but still depends on nothing but this engine's own seed and draws.
 */
public final class RandomStream {

    /** PyTorch's default seed: what a fresh process draws from until manual_seed. */
    static final long DEFAULT_SEED = 67280421310721L;

    /** Elements drawn since the seed after which the engine re-seeds itself (see above). */
    static final long REPLAY_LIMIT = 1L << 26;

    /** The same for the number of draws (each replay step is a native call). */
    static final int REPLAY_DRAWS = 1 << 16;

    /** Guards libtorch's generator and which engine's state it holds. */
    private static final Object GENERATOR = new Object();
    private static RandomStream loaded;

    private long seed = DEFAULT_SEED;
    private final List<Consumer<NDManager>> since = new ArrayList<>();
    private long drawn;

    /** torch.manual_seed for this engine alone. */
    public void seed(long value) {
        synchronized (GENERATOR) {
            seed = value;
            since.clear();
            drawn = 0;
            io.cnnscript.lib.Torch.setSeed(value);
            loaded = this;
        }
    }

    /**
     * Runs a draw from libtorch's generator with this engine's state in it. {@code replay} makes
     * the same draws (same op, sizes and order) in the manager it is given, to restore the state
     * later; {@code elements} is how many numbers the draw takes.
     */
    public <T> T draw(long elements, Supplier<T> draw, Consumer<NDManager> replay) {
        synchronized (GENERATOR) {
            load();
            T out = draw.get();
            since.add(replay);
            drawn += Math.max(1, elements);
            if (drawn > REPLAY_LIMIT || since.size() > REPLAY_DRAWS) {
                long next;
                try (NDManager m = NDManager.newBaseManager()) {
                    next = m.randomInteger(0, Long.MAX_VALUE, new ai.djl.ndarray.types.Shape(),
                            ai.djl.ndarray.types.DataType.INT64).getLong();
                }
                seed(next);
            }
            return out;
        }
    }

    private void load() {
        if (loaded == this) {
            return;
        }
        io.cnnscript.lib.Torch.setSeed(seed);
        if (!since.isEmpty()) {
            try (NDManager scratch = NDManager.newBaseManager()) {
                for (Consumer<NDManager> r : since) {
                    r.accept(scratch);
                }
            }
        }
        loaded = this;
    }

    /** Forgets this engine (it closed): the generator's state is nobody's. */
    void release() {
        synchronized (GENERATOR) {
            if (loaded == this) {
                loaded = null;
            }
            since.clear();
        }
    }
}
