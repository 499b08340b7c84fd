package io.cnnscript.api.jsr223;

import io.cnnscript.api.CnnEngine;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import javax.script.Bindings;

/**
 * The script variables of one engine seen as JSR-223 Bindings: get and put read and write the
 * variables directly (with the conversions of {@link CnnEngine#get} and {@link CnnEngine#set}),
 * so nothing is copied around an eval. A tensor read through them is a copy that belongs to the
 * script engine (freed when it closes, or once nothing reaches it), since JSR-223 hosts do not close what they read. Keys that are not script names (such as
 * {@code javax.script.filename}) are kept beside the variables, as plain entries.
 */
final class CnnBindings extends AbstractMap<String, Object> implements Bindings {

    private final CnnEngine engine;
    /** Who owns the tensors read through these bindings: the script engine, which frees them when it closes. */
    private final io.cnnscript.lib.HostCopies values;
    private final Map<String, Object> other = new LinkedHashMap<>();

    CnnBindings(CnnEngine engine, io.cnnscript.lib.HostCopies values) {
        this.engine = engine;
        this.values = values;
    }

    CnnEngine engine() {
        return engine;
    }

    private static boolean isName(Object key) {
        return key instanceof String s && s.matches("[A-Za-z_][A-Za-z_0-9]*");
    }

    @Override
    public Object put(String name, Object value) {
        if (!isName(name)) {
            if (name == null || name.isEmpty()) {
                throw new IllegalArgumentException("a binding needs a non-empty name");
            }
            return other.put(name, value);
        }
        Object old = engine.has(name) ? values.claim(engine.get(name)) : null;
        engine.set(name, value);
        return old;
    }

    @Override
    public void putAll(Map<? extends String, ? extends Object> toMerge) {
        toMerge.forEach(this::put);
    }

    @Override
    public boolean containsKey(Object key) {
        if (!isName(key)) {
            return other.containsKey(key);
        }
        return key instanceof String s && engine.variables().contains(s);
    }

    @Override
    public Object get(Object key) {
        if (!isName(key)) {
            return other.get(key);
        }
        return key instanceof String s && engine.variables().contains(s) ? values.claim(engine.get(s)) : null;
    }

    @Override
    public Object remove(Object key) {
        if (!isName(key)) {
            return other.remove(key);
        }
        if (!(key instanceof String s) || !engine.variables().contains(s)) {
            return null;
        }
        Object old = values.claim(engine.get(s));
        engine.remove(s);
        return old;
    }

    @Override
    public Set<Entry<String, Object>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public Iterator<Entry<String, Object>> iterator() {
                List<String> all = new ArrayList<>(engine.variables());
                all.addAll(other.keySet());
                Iterator<String> names = all.iterator();
                return new Iterator<>() {
                    private String last;

                    @Override
                    public boolean hasNext() {
                        return names.hasNext();
                    }

                    @Override
                    public Entry<String, Object> next() {
                        last = names.next();
                        return new SimpleEntry<>(last, isName(last) ? values.claim(engine.get(last)) : other.get(last));
                    }

                    @Override
                    public void remove() {
                        CnnBindings.this.remove(last);
                    }
                };
            }

            @Override
            public int size() {
                return engine.variables().size() + other.size();
            }
        };
    }
}
