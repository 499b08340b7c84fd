package io.cnnscript.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import io.cnnscript.error.CnnException;
import io.cnnscript.lib.Conversions;
import io.cnnscript.lib.Dtypes;
import io.cnnscript.value.PyList;
import io.cnnscript.value.Runtime;
import io.cnnscript.value.Tuple;
import io.cnnscript.value.Values;
import java.util.ArrayList;
import java.util.List;

/**
 * A list (or tuple) of layers or of param() tensors held by a field of a script's layer: a child
 * of that layer, as PyTorch's {@code nn.ModuleList} and {@code nn.ParameterList} are. Items are
 * named by their position ({@code blocks.1.conv1.weight}, {@code ws.0}). It is a view: the tree
 * sees the list as it is now.
 */
public final class LayerList extends Layer {

    private final List<Object> items;

    private LayerList(List<Object> items) {
        this.items = items;
    }

    /** The child a field's value makes, or null when the value holds no layer and no parameter. */
    public static Layer.Child child(String name, Object value) {
        if (value instanceof Layer l) {
            return new Layer.Child(name, l);
        }
        if ((value instanceof PyList || value instanceof Tuple) && holdsTreeItems(value)) {
            return new Layer.Child(name, new LayerList(Conversions.sequence(value, name)));
        }
        return null;
    }

    /** A trainable tensor: a parameter of the layer that holds it. */
    public static boolean isParam(Object v) {
        return v instanceof NDArray a && a.hasGradient();
    }

    private static boolean holdsTreeItems(Object list) {
        for (Object o : Conversions.sequence(list, "")) {
            if (o instanceof Layer || isParam(o)
                    || ((o instanceof PyList || o instanceof Tuple) && holdsTreeItems(o))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Checks a field's value as a layer's child: a list that holds layers or parameters must
     * hold nothing else (else some would silently not train). Returns why not, or null.
     */
    public static String mixed(String name, Object value) {
        if (!(value instanceof PyList || value instanceof Tuple) || !holdsTreeItems(value)) {
            return null;
        }
        List<Object> items = Conversions.sequence(value, name);
        for (int i = 0; i < items.size(); i++) {
            Object o = items.get(i);
            boolean ok = o instanceof Layer || isParam(o)
                    || ((o instanceof PyList || o instanceof Tuple) && mixed(name + "[" + i + "]", o) == null
                    && holdsTreeItems(o));
            if (!ok) {
                return "'" + name + "' holds layers or parameters and also " + Values.aTypeName(o) + " (item " + i
                        + "); a list of layers holds only layers, so that every one of them trains";
            }
        }
        return null;
    }

    /**
     * Checks a field that held a list of layers or parameters and may have been changed in place
     * ({@code m.blocks[0] = 3}, {@code m.blocks.append(3)}): it must still hold only layers or
     * parameters (or be empty). Returns why not, or null.
     */
    public static String stillHolds(String name, Object value) {
        String why = mixed(name, value);
        if (why != null || !(value instanceof PyList || value instanceof Tuple) || holdsTreeItems(value)) {
            return why;
        }
        List<Object> items = Conversions.sequence(value, name);
        for (int i = 0; i < items.size(); i++) {
            Object o = items.get(i);
            if (!(o instanceof PyList || o instanceof Tuple)) {
                return "'" + name + "' held layers or parameters and now holds " + Values.aTypeName(o) + " (item " + i
                        + "); a list of layers holds only layers, so that every one of them trains";
            }
        }
        return null;
    }

    /** Whether a field's value is a list (or tuple) that is a child: it holds layers or parameters. */
    public static boolean isList(Object value) {
        return (value instanceof PyList || value instanceof Tuple) && holdsTreeItems(value);
    }

    @Override
    public String name() {
        for (Object o : items) {
            if (!isParam(o)) {
                return "ModuleList";
            }
        }
        return "ParameterList";
    }

    /** PyTorch's ParameterList lists each parameter's dtype and size. */
    @Override
    protected String text() {
        if (!name().equals("ParameterList")) {
            return "ModuleList()";
        }
        List<String> lines = new ArrayList<>();
        for (Param p : ownState()) {
            long[] dims = p.value().getShape().getShape();
            List<String> sizes = new ArrayList<>();
            for (long d : dims) {
                sizes.add(String.valueOf(d));
            }
            lines.add("  (" + p.name() + "): Parameter containing: [torch." + Dtypes.name(p.value().getDataType())
                    + " of size " + String.join("x", sizes) + "]");
        }
        if (lines.size() == 1) {
            return "ParameterList(" + lines.get(0) + ")";
        }
        return "ParameterList(\n  " + String.join("\n  ", lines) + "\n)";
    }

    @Override
    protected List<Param> ownState() {
        List<Param> out = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            if (isParam(items.get(i))) {
                out.add(new Param(String.valueOf(i), (NDArray) items.get(i), true));
            }
        }
        return out;
    }

    @Override
    public List<Child> children() {
        List<Child> out = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            if (!isParam(items.get(i))) {
                Child c = child(String.valueOf(i), items.get(i));
                if (c != null) {
                    out.add(c);
                }
            }
        }
        return out;
    }

    @Override
    protected String mismatch(Shape in) {
        return null;
    }

    @Override
    protected NDArray forward(Runtime rt, NDArray x, boolean training) {
        throw new CnnException(name() + " is not callable: call its layers one by one");
    }
}
