package io.cnnscript.lib;

import ai.djl.ndarray.NDArray;
import java.lang.ref.PhantomReference;
import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Tensors handed out of an engine to the host program ({@code CnnEngine.get}, the results of
 * {@code eval} and {@code call}, values JSR-223 hosts read): copies in no manager, each freed by
 * whichever comes first: its own {@code close()}, its owner's {@link #close()} (a JSR-223 script
 * engine owns what it hands out; {@link #host()} is nobody's and never closes), or the garbage
 * collector finding that nothing reaches the array any more. So a host that never closes what it
 * gets does not grow native memory without bound.
 *
 * <p>The collector sees the small Java objects, not the native memory behind them, so it may not
 * run for a long time while copies pile up. As the JDK does for direct buffers, the bytes of
 * copies not yet freed are counted; when they pass a threshold (64 MB, or twice what was still
 * reached after the last collection, whichever is more), the handout asks for a collection
 * ({@code System.gc()}) and frees what it found unreached before going on. Unreached copies are
 * freed at the next handout (nothing runs in the background), so at most about the threshold of
 * them wait at any time.
 */
public final class HostCopies implements AutoCloseable {

    /** The bytes of unreached copies that may wait before a collection is asked for, at least. */
    public static final long FLOOR = 64L << 20;

    private static final HostCopies HOST = new HostCopies();
    private static final ReferenceQueue<NDArray> GONE = new ReferenceQueue<>();
    /** Every copy not yet freed, by the array's uid. */
    private static final Map<String, Copy> LIVE = new ConcurrentHashMap<>();
    private static final AtomicLong BYTES = new AtomicLong();
    private static volatile long threshold = FLOOR;

    private volatile boolean closed;

    private HostCopies() {}

    /** Copies that belong to the host alone: freed by their close() or when unreached. */
    public static HostCopies host() {
        return HOST;
    }

    /** An owner whose {@link #close()} frees every copy it still has (JSR-223's script engine). */
    public static HostCopies newOwner() {
        return new HostCopies();
    }

    private static final class Copy extends PhantomReference<NDArray> {
        final String uid;
        final Torch.Release release;
        final long bytes;
        volatile HostCopies owner;

        Copy(NDArray a, Torch.Release release, long bytes, HostCopies owner) {
            super(a, GONE);
            this.uid = a.getUid();
            this.release = release;
            this.bytes = bytes;
            this.owner = owner;
        }

        /** Frees the tensor and forgets the copy, once. */
        void free() {
            if (LIVE.remove(uid, this)) {
                release.run();
                BYTES.addAndGet(-bytes);
            }
        }

        /** Forgets a copy whose array was closed already. */
        boolean forgetIfClosed() {
            if (release.done() && LIVE.remove(uid, this)) {
                BYTES.addAndGet(-bytes);
                return true;
            }
            return false;
        }
    }

    /**
     * Tracks a copy in no manager (a detached array) as this owner's and returns it. Frees the
     * copies found unreached since the last handout first, and asks for a collection when the
     * copies not yet freed pass the threshold.
     */
    public NDArray track(NDArray copy) {
        freeUnreached();
        Torch.Release release = Torch.releaser(copy);
        if (release == null) {
            return copy; // freed by its close() only
        }
        long bytes = copy.getShape().size() * copy.getDataType().getNumOfBytes();
        LIVE.put(copy.getUid(), new Copy(copy, release, bytes, this));
        if (BYTES.addAndGet(bytes) > threshold) {
            collect();
        }
        return copy;
    }

    /** Makes the tensors in a value that {@link #host()} handed out (an array, or lists of them) this owner's. */
    public Object claim(Object value) {
        if (value instanceof NDArray a) {
            Copy c = LIVE.get(a.getUid());
            if (c != null) {
                c.owner = this;
            }
        } else if (value instanceof List<?> list) {
            for (Object item : list) {
                claim(item);
            }
        }
        return value;
    }

    /** Frees every copy of this owner's that is not freed yet; the owner tracks nothing after. */
    @Override
    public void close() {
        if (this == HOST) {
            return;
        }
        closed = true;
        for (Copy c : LIVE.values()) {
            if (c.owner == this) {
                c.free();
            }
        }
    }

    public boolean isClosed() {
        return closed;
    }

    /** The bytes of handed-out copies not yet freed (closed ones count until they are found). */
    public static long outstandingBytes() {
        return BYTES.get();
    }

    private static void freeUnreached() {
        for (Reference<? extends NDArray> r; (r = GONE.poll()) != null;) {
            ((Copy) r).free();
        }
    }

    private static synchronized void collect() {
        if (BYTES.get() <= threshold) {
            return;
        }
        LIVE.values().forEach(Copy::forgetIfClosed);
        if (BYTES.get() > threshold) {
            System.gc();
            try {
                // The collector hands the unreached copies over as it finds them: wait for the first, then take the rest.
                for (Reference<? extends NDArray> r = GONE.remove(200); r != null; r = GONE.remove(10)) {
                    ((Copy) r).free();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        threshold = Math.max(FLOOR, 2 * BYTES.get());
    }
}
