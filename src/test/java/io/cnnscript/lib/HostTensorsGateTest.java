package io.cnnscript.lib;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import io.cnnscript.interp.Interpreter;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/**
 * The gate in front of the Java-side fast paths: it gives a tensor's own memory only, proved
 * through DJL's public API (a DJL upgrade that changes what toByteBuffer gives fails here), and
 * nothing at all once the engine's gradients are in use.
 */
class HostTensorsGateTest {

    private static Interpreter engine() {
        return new Interpreter(NDManager.newBaseManager(), new PrintWriter(new StringWriter()),
                new PrintWriter(new StringWriter()));
    }

    @Test
    void aContiguousFloatTensorIsSeenInItsOwnMemory() {
        try (Interpreter in = engine()) {
            NDManager m = in.scope();
            NDArray x = m.arange(12f).reshape(3, 4);
            HostTensors.View v = HostTensors.view(in, x);
            assertNotNull(v);
            assertEquals(5f, v.data.getFloat(5 * 4));
            v.data.putFloat(6 * 4, -1.5f);
            assertEquals(-1.5f, x.getFloat(1, 2), "a write through the view is a write into the tensor");
            NDArray scalar = m.create(2.5f);
            assertNotNull(HostTensors.view(in, scalar));
            assertEquals(2.5f, HostTensors.view(in, scalar).data.getFloat(0));
        }
    }

    @Test
    void copiesAndOtherTypesAreRefusedAndLeaveNothingBehind() {
        try (Interpreter in = engine()) {
            NDManager m = in.scope();
            NDArray x = m.arange(12f).reshape(3, 4);
            NDArray t = x.transpose();
            NDArray s = x.get(new NDIndex("0:2, 1:3"));
            NDArray ints = m.arange(0, 12, 1, DataType.INT64);
            NDArray doubles = m.arange(0f, 12f, 1f, DataType.FLOAT64);
            int before = m.getManagedArrays().size();
            assertNull(HostTensors.view(in, t), "a transposed tensor is not contiguous");
            assertNull(HostTensors.view(in, s), "a slice is not contiguous");
            assertNull(HostTensors.view(in, ints));
            assertNull(HostTensors.view(in, doubles));
            assertNull(HostTensors.view(in, m.zeros(new Shape(0, 3))));
            assertEquals(before + 1, m.getManagedArrays().size(), "only the empty tensor made here is left");
            assertEquals(1f, t.getFloat(1, 0), "the probe leaves the values as they were");
            assertEquals(4f, x.getFloat(1, 0));
        }
    }

    @Test
    void nothingPassesOnceGradientsAreInUse() {
        try (Interpreter in = engine()) {
            NDArray x = in.scope().ones(new Shape(2, 2));
            assertNotNull(HostTensors.view(in, x));
            in.noteAutograd();
            assertNull(HostTensors.view(in, x), "even a tensor seen before");
            assertFalse(HostTensors.setElement(in, x, new Object[] {0L, 0L}, 3.0));
        }
    }

    @Test
    void tensorsFromOutsideThatRecordGradientsTurnTheFastPathsOff() {
        try (Interpreter in = engine(); NDManager host = NDManager.newBaseManager()) {
            JniUtils.setGradMode(true);
            NDArray plain = host.ones(new Shape(2));
            NDArray leaf = host.ones(new Shape(2));
            leaf.setRequiresGradient(true);
            NDArray computed = leaf.mul(2);
            assertFalse(HostTensors.recordsGradient(plain));
            assertFalse(JniUtils.requiresGrad((ai.djl.pytorch.engine.PtNDArray) plain), "and it stays so");
            assertTrue(HostTensors.recordsGradient(leaf));
            assertTrue(HostTensors.recordsGradient(computed), "a result computed in a graph");
            assertFalse(computed.hasGradient(), "which DJL's own query does not see");
            HostTensors.admit(in, plain.duplicate());
            assertFalse(in.autogradInUse());
            HostTensors.admit(in, io.cnnscript.value.Tuple.of(plain, computed));
            assertTrue(in.autogradInUse());
        }
    }

    @Test
    void aLayerFromAnotherEngineTurnsTheFastPathsOff() {
        try (io.cnnscript.api.CnnEngine a = io.cnnscript.api.CnnEngine.builder().build();
                io.cnnscript.api.CnnEngine b = io.cnnscript.api.CnnEngine.builder().build()) {
            a.eval("seed(1)\nlin = Linear(2, 1)\ny = lin(ones(1, 2))");
            b.set("lin", a.get("lin"));
            b.set("n", 3L);
            b.eval("X = tensor[[2.0, 3.0]]\nbackward((X[0:1, 0:2] * lin.weight).sum())");
            assertEquals(java.util.List.of(java.util.List.of(2.0, 3.0)), b.eval("lin.weight.grad.tolist()"));
        }
    }
}
