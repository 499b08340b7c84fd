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
        method("extend(self, items)", "Adds every item of a list, tuple, range, string or tensor at the end.", (rt, a) -> {
            // A copy: x.extend(x) doubles x, as in Python.
            PyList self = (PyList) a.get("self");
            List<Object> items = new java.util.ArrayList<>(Builtins.iterable(rt, a.get("items"), "extend() items"));
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
        method("insert(self, index, item)", "Puts item before position index (past the end: at the end).", (rt, a) -> {
            PyList self = (PyList) a.get("self");
            long i = a.toLong("index");
            long at = i < 0 ? Math.max(0, i + self.size()) : Math.min(i, self.size()); // Python clamps
            Values.checkSize(self.size() + 1L, "the list");
            Object item = a.get("item");
            rt.keep(item);
            self.items().add((int) at, item);
            return NoneValue.NONE;
        });
        method("remove(self, item)", "Removes the first item equal to item; an error if there is none.", (rt, a) -> {
            PyList self = (PyList) a.get("self");
            Object item = a.get("item");
            for (int i = 0; i < self.size(); i++) {
                if (Values.equal(self.get(i), item)) {
                    self.items().remove(i);
                    return NoneValue.NONE;
                }
            }
            throw new CnnException("list.remove(x): x not in list"); // Python's ValueError
        });
        method("count(self, item)", "How many items equal item.", (rt, a) -> {
            PyList self = (PyList) a.get("self");
            long n = 0;
            for (Object x : self.items()) {
                if (Values.equal(x, a.get("item"))) {
                    n++;
                }
            }
            return n;
        });
        method("sort(self, key=none, reverse=false)", "Sorts the list in place, as sorted() orders (stable; by "
                + "key(item) if key is given).", (rt, a) -> {
            PyList self = (PyList) a.get("self");
            List<Object> sorted = Builtins.sort(rt, new java.util.ArrayList<>(self.items()),
                    a.isNone("key") ? NoneValue.NONE : a.get("key"), a.truthy("reverse"));
            self.items().clear();
            self.items().addAll(sorted);
            return NoneValue.NONE;
        });
        method("reverse(self)", "Reverses the list in place.", (rt, a) -> {
            java.util.Collections.reverse(((PyList) a.get("self")).items());
            return NoneValue.NONE;
        });
        method("clear(self)", "Removes every item.", (rt, a) -> {
            ((PyList) a.get("self")).items().clear();
            return NoneValue.NONE;
        });
        method("copy(self)", "A new list of the same items (a shallow copy, as list(xs)).",
                (rt, a) -> new PyList(new java.util.ArrayList<>(((PyList) a.get("self")).items())));
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
