package io.cnnscript.value;

import java.util.Iterator;

/** A value a for loop can walk that is not a list, tuple, string, range or tensor (e.g. a dataset). */
public interface ScriptIterable {
    Iterator<Object> iterator(Runtime rt);
}
