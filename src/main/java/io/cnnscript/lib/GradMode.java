package io.cnnscript.lib;

import ai.djl.pytorch.jni.JniUtils;

/**
 * Whether libtorch records operations for autograd on this thread (PyTorch's grad mode), set for
 * a block and put back as it was when the block ends, however it ends:
 * <pre>
 * try (GradMode g = GradMode.disabled()) { ... }   // PyTorch's `with torch.no_grad():`
 * </pre>
 * DJL's engine-neutral {@code GradientCollector} turns recording on the same way, but the
 * PyTorch engine's collector refuses a second one while one is open anywhere in the JVM (a
 * static flag), and engines here run side by side on their own threads; it also has no way to
 * turn recording off. Grad mode is per thread in libtorch, so this guard is safe per engine.
 */
public final class GradMode implements AutoCloseable {

    /** Changes nothing, restores nothing: what {@link #disabledIf} gives when nothing is to be done. */
    private static final GradMode NONE = new GradMode(false, false);

    private final boolean change;
    private final boolean before;

    private GradMode(boolean change, boolean before) {
        this.change = change;
        this.before = before;
    }

    /** Recording off until close (PyTorch's {@code torch.no_grad()}). */
    public static GradMode disabled() {
        return set(false);
    }

    /** Recording on until close (what a statement and a training loop run with). */
    public static GradMode enabled() {
        return set(true);
    }

    /**
     * Recording off until close when {@code condition} holds (a tensor that records gradients
     * is changed in place); otherwise no libtorch call at all, which matters on hot paths.
     */
    public static GradMode disabledIf(boolean condition) {
        return condition ? disabled() : NONE;
    }

    private static GradMode set(boolean on) {
        boolean before = JniUtils.isGradMode();
        if (before != on) {
            JniUtils.setGradMode(on);
            return new GradMode(true, before);
        }
        return NONE;
    }

    /** Whether libtorch records operations on this thread now. */
    public static boolean isEnabled() {
        return JniUtils.isGradMode();
    }

    /** Sets recording on for this thread, for good (the start of each top-level statement). */
    public static void reset() {
        JniUtils.setGradMode(true);
    }

    @Override
    public void close() {
        if (change) {
            JniUtils.setGradMode(before);
        }
    }
}
