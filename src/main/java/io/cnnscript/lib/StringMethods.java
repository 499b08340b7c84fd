package io.cnnscript.lib;

import io.cnnscript.value.PyList;
import io.cnnscript.value.Values;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Methods of strings. */
final class StringMethods {

    private StringMethods() {}

    static final Map<String, Builtin> METHODS = new LinkedHashMap<>();

    private static void method(String signature, String doc, Builtin.Body body) {
        Builtin b = new Builtin("string methods", signature, doc, body);
        METHODS.put(b.name(), b);
    }

    static {
        method("upper(self)", "The string in capitals.", (rt, a) -> ((String) a[0]).toUpperCase(Locale.ROOT));
        method("lower(self)", "The string in small letters.", (rt, a) -> ((String) a[0]).toLowerCase(Locale.ROOT));
        method("strip(self)", "The string without surrounding blanks.", (rt, a) -> ((String) a[0]).strip());
        method("join(self, items)", "The items' text joined with this string between them.", (rt, a) -> {
            List<String> parts = new ArrayList<>();
            long length = 0;
            for (Object item : Conversions.sequence(a[1], "join() items")) {
                String part = Values.str(item);
                length += part.length() + ((String) a[0]).length();
                Values.checkSize(length, "the joined string");
                parts.add(part);
            }
            return String.join((String) a[0], parts);
        });
        method("split(self, sep=none)", "The parts between separators (blanks by default).", (rt, a) -> {
            String s = (String) a[0];
            if (Conversions.isNone(a[1]) && s.isBlank()) {
                return new PyList(new ArrayList<>()); // Python: ''.split() is []
            }
            String[] parts = Conversions.isNone(a[1]) ? s.strip().split("\\s+")
                    : s.split(java.util.regex.Pattern.quote(Conversions.string(a[1], "sep")), -1);
            return new PyList(new ArrayList<>(List.of((Object[]) parts)));
        });
        method("startswith(self, prefix)", "True when the string starts with prefix.",
                (rt, a) -> ((String) a[0]).startsWith(Conversions.string(a[1], "prefix")));
    }
}
