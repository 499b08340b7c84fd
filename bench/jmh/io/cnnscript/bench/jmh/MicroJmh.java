package io.cnnscript.bench.jmh;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.cnnscript.bench.Micro;
import io.cnnscript.interp.Interpreter;
import java.io.PrintWriter;
import java.io.Writer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The micro rows of docs/PERFORMANCE.md under JMH: each cnnscript side (a script loop, timed per
 * iteration) beside its Java baseline, in forked JVMs with warm-up. Run by {@code bench/jmh}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 2, jvmArgsAppend = {"-XX:+UseParallelGC", "-Dai.djl.offline=true",
        "-Dorg.slf4j.simpleLogger.defaultLogLevel=error"})
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
public class MicroJmh {

    private NDManager manager;
    private NDArray a;
    private NDArray b;
    private NDArray x;
    private NDArray k;
    private Interpreter in;

    @Setup
    public void setUp() {
        manager = NDManager.newBaseManager();
        a = manager.create(new float[] {1, 2});
        b = manager.create(new float[] {3, 4});
        x = manager.randomUniform(0, 1, new Shape(100, 100));
        k = manager.randomUniform(0, 1, new Shape(3, 3));
        PrintWriter sink = new PrintWriter(Writer.nullWriter());
        in = new Interpreter(NDManager.newBaseManager(), sink, sink);
        in.eval("a = tensor[1.0, 2.0]\nb = tensor[3.0, 4.0]\n" + Micro.CORR2D
                + "\nseed(0)\nX = rand(100, 100)\nK = rand(3, 3)", "jmh.cnn", false);
    }

    @TearDown
    public void tearDown() {
        in.close();
        manager.close();
    }

    /** cnnscript: {@code c = a + b} on 2-element tensors, per loop iteration. */
    @Benchmark
    @OperationsPerInvocation(10_000)
    public void dispatchScript() {
        in.eval("for i in range(10000) { c = a + b }", "jmh.cnn", false);
    }

    /** The raw DJL call and the closing of its result. */
    @Benchmark
    public void dispatchDjl() {
        a.add(b).close();
    }

    /** cnnscript: {@code s += i * i} on plain numbers, per loop iteration. */
    @Benchmark
    @OperationsPerInvocation(1_000_000)
    public void scalarScript() {
        in.eval("s = 0\nfor i in range(1000000) { s += i * i }", "jmh.cnn", false);
    }

    /** The same in Java. */
    @Benchmark
    @OperationsPerInvocation(1_000_000)
    public long scalarJava() {
        long s = 0;
        for (long i = 0; i < 1_000_000; i++) {
            s += i * i;
        }
        return s;
    }

    /** cnnscript: the notebook's naive corr2d on 100x100 with a 3x3 kernel, per call. */
    @Benchmark
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public void corr2dScript() {
        in.eval("Y = corr2d_naive(X, K)", "jmh.cnn", false);
    }

    /** The same loops written straightforwardly in DJL Java, per call. */
    @Benchmark
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public void corr2dDjl() {
        try (NDManager scope = manager.newSubManager()) {
            Micro.naiveCorr2d(scope, x, k);
        }
    }
}
