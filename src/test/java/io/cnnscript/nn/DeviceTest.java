package io.cnnscript.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.cnnscript.error.CnnException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** device="auto" trains on the CPU whatever DJL sees, with one note when a GPU is there; "gpu" is an error. */
class DeviceTest {

    @Test
    void autoFallsBackToTheCpuWithOneNote() {
        List<String> notes = new ArrayList<>();
        assertEquals("cpu", Training.device("auto", 0, null, notes::add));
        assertEquals(List.of(), notes);
        assertEquals("cpu", Training.device("auto", 2, null, notes::add));
        assertEquals(List.of("note: DJL sees 2 GPU(s), but cnnscript does not train on a GPU yet; training on the CPU"),
                notes);
        notes.clear();
        assertEquals("cpu", Training.device("auto", -1, "libcudart.so.12: cannot open shared object file", notes::add));
        assertEquals(List.of("note: the GPU cannot be used (libcudart.so.12: cannot open shared object file); "
                + "training on the CPU"), notes);
    }

    @Test
    void gpuAskedForIsAnError() {
        assertEquals("device=\"gpu\": DJL sees no GPU on this machine; use device=\"cpu\" or \"auto\"",
                assertThrows(CnnException.class, () -> Training.device("gpu", 0, null, s -> { })).getMessage());
        assertEquals("device=\"gpu\": the GPU cannot be used (no CUDA); use device=\"cpu\" or \"auto\"",
                assertThrows(CnnException.class, () -> Training.device("gpu", -1, "no CUDA", s -> { })).getMessage());
        assertEquals("DJL sees 1 GPU(s), but training on a GPU is not supported yet; use device=\"cpu\"",
                assertThrows(CnnException.class, () -> Training.device("gpu", 1, null, s -> { })).getMessage());
    }
}
