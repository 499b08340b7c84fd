package io.cnnscript.lib;

import io.cnnscript.error.CnnException;
import io.cnnscript.value.NoneValue;
import io.cnnscript.value.PyList;
import io.cnnscript.value.Values;
import java.util.List;

/** Methods of lists. */
final class ListMethods {

    /** The list methods, for {@code Library.Builder}, which adds them to the library it builds. */
    static List<Builtin> all() {
        return List.copyOf(new ListMethods().methods);
    }

    private final List<Builtin> methods = new java.util.ArrayList<>();

    private void method(String signature, String doc, Builtin.Body body) {
        methods.add(new Builtin("list methods", signature, doc, body));
    }

    private ListMethods() {
        method("append(self, item)", "Adds item at the end.", (rt, a) -> {
            PyList self = (PyList) a.get("self");
            Object item = a.get("item");
            Values.checkSize(self.size() + 1L, "the list");
            rt.keep(item);
            self.add(item);
            return NoneValue.NONE;
        });
        method("extend(self, items)", "Adds every item of a list or tuple at the end.", (rt, a) -> {
            // A copy: x.extend(x) doubles x, as in Python.
            PyList self = (PyList) a.get("self");
            List<Object> items = new java.util.ArrayList<>(Conversions.sequence(a.get("items"), "extend() items"));
            Values.checkSize((long) self.size() + items.size(), "the list");
            for (Object item : items) {
                rt.keep(item);
                self.add(item);
            }
            return NoneValue.NONE;
        });
        method("pop(self, index=-1)", "Removes and returns the item at index (the last by default).", (rt, a) -> {
            PyList l = (PyList) a.get("self");
            long i = a.toLong("index");
            long at = i < 0 ? i + l.size() : i;
            if (at < 0 || at >= l.size()) {
                throw new CnnException(l.size() == 0 ? "pop() from an empty list"
                        : "pop() index " + i + " is out of range for a list of length " + l.size());
            }
            // The list held the item; whoever else holds it (a layer, for a parameter) still does.
            return new io.cnnscript.value.Borrowed(l.items().remove((int) at));
        });
        method("index(self, item)", "Position of the first item equal to item.", (rt, a) -> {
            PyList l = (PyList) a.get("self");
            Object item = a.get("item");
            for (int i = 0; i < l.size(); i++) {
                if (Values.equal(l.get(i), item)) {
                    return (long) i;
                }
            }
            throw new CnnException(Values.repr(item) + " is not in the list");
        });
    }
}
