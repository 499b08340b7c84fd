package io.cnnscript.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import io.cnnscript.api.CnnException;
import io.cnnscript.value.Runtime;
import io.cnnscript.value.ScriptLayer;
import io.cnnscript.value.Values;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A script-defined layer ({@code layer Conv2D(k) { ... }}) inside a network: forward calls the
 * script's forward, and its parameters are the tensors its body made with param().
 */
final class ScriptLayerAdapter extends Layer {

    final ScriptLayer layer;

    ScriptLayerAdapter(ScriptLayer layer) {
        this.layer = layer;
    }

    @Override
    public String toString() {
        return layer.toString();
    }

    @Override
    String mismatch(Shape in) {
        return null;
    }

    @Override
    NDArray forward(Runtime rt, NDArray x, boolean training) {
        Object r = rt.call(layer, x);
        if (!(r instanceof NDArray y)) {
            throw new CnnException("layer " + layer.name() + ": forward must return a tensor, it returned a "
                    + Values.typeName(r));
        }
        // The result came back in the running statement's scope; results of a layer go where its
        // input lives, so that a training step frees them with the batch. Tensors that variables
        // hold stay where they are.
        if (y.getManager() == rt.scope() && x.getManager() != y.getManager()) {
            y.attach(x.getManager());
        }
        return y;
    }

    @Override
    List<Param> state() {
        List<Param> out = new ArrayList<>();
        for (ScriptLayer.Param p : layer.parameters()) {
            out.add(new Param(p.name(), p.value(), true));
        }
        return out;
    }

    @Override
    public void forEachChild(Consumer<Object> visitor) {
        visitor.accept(layer);
    }
}
