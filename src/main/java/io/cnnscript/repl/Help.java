package io.cnnscript.repl;

import io.cnnscript.interp.Interpreter;
import io.cnnscript.lib.Builtin;
import io.cnnscript.lib.Suggest;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The text of {@code :help}, made from the built-ins' own signatures and docs (the same place
 * docs/BUILTINS.md and completion read), plus any host functions the session was given.
 */
public final class Help {

    private Help() {}

    /** The REPL's commands and what they do, in the order :help lists them. */
    static final Map<String, String> COMMANDS = commands();

    private static Map<String, String> commands() {
        Map<String, String> c = new LinkedHashMap<>();
        c.put(":help", "list the commands and the built-ins; :help NAME shows one built-in");
        c.put(":vars", "list the variables with their type, and a tensor's shape and dtype");
        c.put(":load", ":load FILE.cnn runs a file into this session");
        c.put(":time", ":time STATEMENT runs it and says how long it took");
        c.put(":mem", "how many native arrays the session holds, and their bytes");
        c.put(":reset", "forget every variable");
        c.put(":quit", "leave (so does Ctrl-D)");
        return java.util.Collections.unmodifiableMap(c);
    }

    /** Every documented built-in: the library's (nn included) then the session's own. */
    static List<Builtin> all(Collection<Builtin> host) {
        List<Builtin> all = new ArrayList<>(Interpreter.standardLibrary().documented());
        for (Builtin b : host) {
            if (!all.contains(b)) {
                all.add(b);
            }
        }
        return all;
    }

    /** The name a built-in is written with: methods show their receiver. */
    static String title(Builtin b) {
        return io.cnnscript.lib.HelpText.title(b);
    }

    /** :help with no name. */
    static String overview(Collection<Builtin> host) {
        StringBuilder sb = new StringBuilder("Commands:\n");
        COMMANDS.forEach((name, what) -> sb.append(String.format("  %-8s %s%n", name, what)));
        sb.append("\nBuilt-ins (:help NAME for one):\n");
        Map<String, List<String>> byFamily = new LinkedHashMap<>();
        for (Builtin b : all(host)) {
            String prefix = b.family().endsWith(" methods") ? "." : "";
            byFamily.computeIfAbsent(b.family(), k -> new ArrayList<>()).add(prefix + b.name());
        }
        byFamily.forEach((family, names) -> {
            sb.append("  ").append(family).append(":\n");
            sb.append(wrap(String.join(" ", names), 76, "    "));
        });
        sb.append("\nKeys: Tab completes, Ctrl-R searches the history, Ctrl-C stops a running statement\n"
                + "or clears the line, Ctrl-D leaves. A trailing ';' hides a value; _ is the last one.\n");
        return sb.toString();
    }

    /** :help NAME in a session: one of the user's own functions or layers first, else the built-ins. */
    public static String topic(String name, Collection<Builtin> host, Map<String, Object> variables) {
        Object v = variables.get(name.strip());
        if (v instanceof io.cnnscript.value.Callable c && !(v instanceof Builtin) && c.help() != null) {
            return c.help();
        }
        return topic(name, host);
    }

    /** :help NAME: every built-in (function or method) by that name, or a hint. */
    public static String topic(String name, Collection<Builtin> host) {
        String key = name.strip();
        if (key.startsWith(".")) {
            key = key.substring(1);
        } else if (key.contains(".")) {
            key = key.substring(key.lastIndexOf('.') + 1);
        }
        if (key.endsWith("()")) {
            key = key.substring(0, key.length() - 2);
        }
        if (COMMANDS.containsKey(":" + key) || COMMANDS.containsKey(key)) {
            String cmd = key.startsWith(":") ? key : ":" + key;
            return cmd + "  " + COMMANDS.get(cmd) + "\n";
        }
        StringBuilder sb = new StringBuilder();
        List<String> names = new ArrayList<>();
        for (Builtin b : all(host)) {
            names.add(b.name());
            if (b.name().equals(key)) {
                if (sb.length() > 0) {
                    sb.append('\n');
                }
                sb.append(io.cnnscript.lib.HelpText.describe(b));
            }
        }
        if (sb.length() == 0) {
            return "no built-in named '" + key + "'" + Suggest.hint(key, names) + " (:help lists them all)\n";
        }
        return sb.toString();
    }

    static String wrap(String text, int width, String indent) {
        return io.cnnscript.lib.HelpText.wrap(text, width, indent);
    }
}
