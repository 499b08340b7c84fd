package io.cnnscript.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/** The start-up baseline: a Java program that makes one NDArray and prints it. */
public final class OneArray {

    private OneArray() {}

    public static void main(String[] args) {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray a = m.create(new float[] {1});
            System.out.println(a.toFloatArray()[0]);
        }
    }
}
