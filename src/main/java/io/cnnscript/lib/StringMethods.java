package io.cnnscript.lib;

import io.cnnscript.value.PyList;
import io.cnnscript.value.Values;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Methods of strings. */
final class StringMethods {

    /** The string methods, for {@code Library.Builder}, which adds them to the library it builds. */
    static List<Builtin> all() {
        return List.copyOf(new StringMethods().methods);
    }

    private final List<Builtin> methods = new java.util.ArrayList<>();

    private void method(String signature, String doc, Builtin.Body body) {
        methods.add(new Builtin("string methods", signature, doc, body));
    }

    private StringMethods() {
        method("upper(self)", "The string in capitals.", (rt, a) -> ((String) a.get("self")).toUpperCase(Locale.ROOT));
        method("lower(self)", "The string in small letters.", (rt, a) -> ((String) a.get("self")).toLowerCase(Locale.ROOT));
        method("strip(self)", "The string without surrounding blanks.", (rt, a) -> ((String) a.get("self")).strip());
        method("join(self, items)", "The items' text joined with this string between them.", (rt, a) -> {
            String self = (String) a.get("self");
            List<String> parts = new ArrayList<>();
            long length = 0;
            List<Object> items = Builtins.iterable(rt, a.get("items"), "join() items");
            for (int i = 0; i < items.size(); i++) {
                if (!(items.get(i) instanceof String part)) {
                    // Python's TypeError: join takes strings only; str(x) makes one.
                    throw new io.cnnscript.error.CnnException("join() item " + i + " must be a string, not "
                            + Values.typeName(items.get(i)) + "; use str(x) on it");
                }
                length += part.length() + self.length();
                Values.checkSize(length, "the joined string");
                parts.add(part);
            }
            return String.join(self, parts);
        });
        method("split(self, sep=none)", "The parts between separators (blanks by default).", (rt, a) -> {
            String s = (String) a.get("self");
            if (a.isNone("sep") && s.isBlank()) {
                return new PyList(new ArrayList<>()); // Python: ''.split() is []
            }
            String[] parts = a.isNone("sep") ? s.strip().split("\\s+")
                    : s.split(java.util.regex.Pattern.quote(a.string("sep")), -1);
            return new PyList(new ArrayList<>(List.of((Object[]) parts)));
        });
        method("startswith(self, prefix)", "True when the string starts with prefix.",
                (rt, a) -> ((String) a.get("self")).startsWith(a.string("prefix")));
    }
}
