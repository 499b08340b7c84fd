package io.cnnscript.jupyter;

/**
 * SIGINT stops the running cell instead of ending the process, for front ends whose
 * kernelspec says {@code interrupt_mode: signal} (and for {@code kill -INT}).
 */
final class Signals {

    private Signals() {}

    static void onInterrupt(Runnable action) {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("INT"), signal -> action.run());
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            // No SIGINT here (or the VM reserves it): interrupt requests still work.
        }
    }
}
