package io.cnnscript.lib;

import io.cnnscript.error.CnnException;
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
        method("strip(self, chars=none)", "The string without the blanks (or the characters of chars) at both ends.",
                (rt, a) -> strip(a, true, true));
        method("lstrip(self, chars=none)", "The string without the blanks (or the characters of chars) at its start.",
                (rt, a) -> strip(a, true, false));
        method("rstrip(self, chars=none)", "The string without the blanks (or the characters of chars) at its end.",
                (rt, a) -> strip(a, false, true));
        method("join(self, items)", "The items (strings) joined with this string between them.", (rt, a) -> {
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
        method("split(self, sep=none, maxsplit=-1)", "The parts between separators (runs of blanks by default), "
                + "at most maxsplit + 1 of them when maxsplit is not negative.", (rt, a) -> {
            String s = (String) a.get("self");
            long max = a.toLong("maxsplit");
            List<Object> parts = new ArrayList<>();
            if (a.isNone("sep")) {
                int i = 0;
                while (true) {
                    while (i < s.length() && isSpace(s.codePointAt(i))) {
                        i += Character.charCount(s.codePointAt(i));
                    }
                    if (i >= s.length()) {
                        break;
                    }
                    if (max >= 0 && parts.size() == max) {
                        parts.add(s.substring(i)); // the rest, its trailing blanks kept, as in Python
                        break;
                    }
                    int j = i;
                    while (j < s.length() && !isSpace(s.codePointAt(j))) {
                        j += Character.charCount(s.codePointAt(j));
                    }
                    parts.add(s.substring(i, j));
                    i = j;
                }
                return new PyList(parts);
            }
            String sep = a.string("sep");
            if (sep.isEmpty()) {
                throw new CnnException("split(): empty separator"); // Python's ValueError
            }
            int from = 0;
            for (int at = s.indexOf(sep); at >= 0 && (max < 0 || parts.size() < max); at = s.indexOf(sep, from)) {
                parts.add(s.substring(from, at));
                from = at + sep.length();
            }
            parts.add(s.substring(from));
            return new PyList(parts);
        });
        method("replace(self, old, new, count=-1)", "The string with old replaced by new (the first count times, "
                + "if count is not negative).", (rt, a) -> {
            String s = (String) a.get("self");
            String old = a.string("old");
            String with = a.string("new");
            long count = a.toLong("count");
            StringBuilder out = new StringBuilder();
            int from = 0;
            long done = 0;
            if (old.isEmpty()) {
                // Python puts new before every character and at the end: "ab".replace("", "-") is "-a-b-".
                while (count < 0 || done < count) {
                    out.append(with);
                    done++;
                    Values.checkSize(out.length(), "the string");
                    if (from >= s.length()) {
                        break;
                    }
                    int next = from + Character.charCount(s.codePointAt(from));
                    out.append(s, from, next);
                    from = next;
                }
                return out.append(s.substring(from)).toString();
            }
            for (int at = s.indexOf(old); at >= 0 && (count < 0 || done < count); at = s.indexOf(old, from)) {
                out.append(s, from, at).append(with);
                Values.checkSize(out.length(), "the string");
                from = at + old.length();
                done++;
            }
            return out.append(s.substring(from)).toString();
        });
        method("find(self, sub)", "The position of the first sub in the string, or -1.",
                (rt, a) -> find((String) a.get("self"), a.string("sub")));
        method("index(self, sub)", "The position of the first sub in the string; an error if there is none.", (rt, a) -> {
            long at = find((String) a.get("self"), a.string("sub"));
            if (at < 0) {
                throw new CnnException("substring not found"); // Python's ValueError
            }
            return at;
        });
        method("count(self, sub)", "How many times sub occurs in the string, not overlapping.", (rt, a) -> {
            String s = (String) a.get("self");
            String sub = a.string("sub");
            if (sub.isEmpty()) {
                return (long) s.codePointCount(0, s.length()) + 1; // Python: between and around every character
            }
            long n = 0;
            for (int at = s.indexOf(sub); at >= 0; at = s.indexOf(sub, at + sub.length())) {
                n++;
            }
            return n;
        });
        method("endswith(self, suffix)", "True when the string ends with suffix.",
                (rt, a) -> ((String) a.get("self")).endsWith(a.string("suffix")));
        method("startswith(self, prefix)", "True when the string starts with prefix.",
                (rt, a) -> ((String) a.get("self")).startsWith(a.string("prefix")));
    }

    /** Python's str.isspace for one character: Unicode blanks, the line and paragraph separators, and U+0085. */
    static boolean isSpace(int c) {
        return Character.isWhitespace(c) || Character.isSpaceChar(c) || c == 0x85;
    }

    private static Object strip(Args a, boolean start, boolean end) {
        String s = (String) a.get("self");
        String chars = a.isNone("chars") ? null : a.string("chars");
        int i = 0;
        int j = s.length();
        while (start && i < j && (chars == null ? isSpace(s.codePointAt(i)) : chars.indexOf(s.codePointAt(i)) >= 0)) {
            i += Character.charCount(s.codePointAt(i));
        }
        while (end && j > i && (chars == null ? isSpace(s.codePointBefore(j)) : chars.indexOf(s.codePointBefore(j)) >= 0)) {
            j -= Character.charCount(s.codePointBefore(j));
        }
        return s.substring(i, j);
    }

    /** The position of sub in s counted in characters (code points), as Python counts; -1 when absent. */
    private static long find(String s, String sub) {
        int at = s.indexOf(sub);
        return at < 0 ? -1 : s.codePointCount(0, at);
    }
}
