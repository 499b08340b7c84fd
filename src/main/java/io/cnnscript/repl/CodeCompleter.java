package io.cnnscript.repl;

import io.cnnscript.interp.Interpreter;
import io.cnnscript.lib.Builtin;
import io.cnnscript.lib.Members;
import io.cnnscript.value.Callable;
import io.cnnscript.value.Values;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.LineReader;
import org.jline.reader.ParsedLine;

/**
 * Tab completion from the live session: keywords, built-ins (layers included), variables; after
 * {@code X.} the members of X's value; at an argument of a call, the callee's keyword
 * arguments; after ':' the commands, after {@code :help} the documented names and after
 * {@code :load} file names. JLine keeps the candidates that start with the typed word.
 */
public final class CodeCompleter implements Completer {

    static final String KEYWORDS = "keywords";
    static final String VARIABLES = "variables";
    static final String ARGUMENTS = "keyword arguments";
    static final String MEMBERS = "members";
    static final String COMMANDS = "commands";

    private final Supplier<Interpreter> session;

    /** session gives the interpreter when it is loaded and idle, else null (built-ins only). */
    public CodeCompleter(Supplier<Interpreter> session) {
        this.session = session;
    }

    @Override
    public void complete(LineReader reader, ParsedLine parsed, List<Candidate> out) {
        LineParser.Word w = parsed instanceof LineParser.Word word ? word
                : LineParser.wordAt(parsed.line(), parsed.cursor());
        out.addAll(candidates(w));
    }

    /** What completing at a cursor offers: the matches, each to replace the text [start, end). */
    public record Completion(int start, int end, List<String> matches) {}

    /**
     * Completion outside JLine (the Jupyter kernel): the word around a cursor (a char index into
     * code, which may span lines) and every candidate that starts with the part typed before the
     * cursor, sorted, each once.
     */
    public Completion complete(String code, int cursor) {
        LineParser.Word w = LineParser.wordAt(code, cursor);
        String typed = w.word().substring(0, w.wordCursor());
        java.util.TreeSet<String> matches = new java.util.TreeSet<>();
        for (Candidate c : candidates(w)) {
            if (c.value().startsWith(typed)) {
                matches.add(c.value());
            }
        }
        return new Completion(w.start(), w.end(), List.copyOf(matches));
    }

    /** Every candidate for the word under the cursor (before JLine filters them by prefix). */
    List<Candidate> candidates(LineParser.Word w) {
        List<Candidate> out = new ArrayList<>();
        String before = w.before();
        String head = before.stripLeading();
        if (head.startsWith(":load ")) {
            files(w.word().substring(0, Math.min(w.word().length(), w.wordCursor())), out);
            return out;
        }
        if (head.startsWith(":help ")) {
            // Each topic once; :help load shows the command :load, so such a name is offered as a command.
            Map<String, String> seen = new LinkedHashMap<>();
            Help.COMMANDS.keySet().forEach(c -> seen.put(c.substring(1), COMMANDS));
            for (Builtin b : Help.all(hostFunctions())) {
                seen.putIfAbsent(b.name(), b.family());
            }
            seen.forEach((name, family) -> out.add(candidate(name, family, null)));
            return out;
        }
        if (head.isEmpty() && w.word().startsWith(":") || head.equals(":")) {
            Help.COMMANDS.forEach((name, what) -> out.add(candidate(name, COMMANDS, what)));
            return out;
        }
        if (before.endsWith(".")) {
            members(before.substring(0, before.length() - 1), out);
            return out;
        }
        keywordArguments(before, out);
        // Each name once, under what it is now: a variable before the built-in it shadows (sum = 3),
        // a built-in or a variable before a keyword of the same spelling (tensor(...), layer = 1).
        java.util.Set<String> seen = new java.util.HashSet<>();
        Interpreter in = session.get();
        if (in != null) {
            for (Map.Entry<String, Object> e : in.userVariables().entrySet()) {
                if (seen.add(e.getKey())) {
                    out.add(candidate(e.getKey(), VARIABLES, Values.typeName(e.getValue())));
                }
            }
        }
        Map<String, String> families = families();
        for (String name : Interpreter.standardLibrary().globals().keySet()) {
            if (seen.add(name)) {
                out.add(candidate(name, families.getOrDefault(name, "built-ins"), null));
            }
        }
        for (String k : Tokens.KEYWORDS) {
            if (seen.add(k)) {
                out.add(candidate(k, KEYWORDS, null));
            }
        }
        return out;
    }

    private static Candidate candidate(String value, String group, String descr) {
        return new Candidate(value, value, group, descr, null, null, false);
    }

    private static Map<String, String> families() {
        Map<String, String> out = new LinkedHashMap<>();
        for (Builtin b : Interpreter.standardLibrary().documented()) {
            if (!b.family().endsWith(" methods")) {
                out.putIfAbsent(b.name(), b.family());
            }
        }
        return out;
    }

    private List<Builtin> hostFunctions() {
        Interpreter in = session.get();
        List<Builtin> host = new ArrayList<>();
        if (in != null) {
            for (Object v : in.userVariables().values()) {
                if (v instanceof Builtin b) {
                    host.add(b);
                }
            }
        }
        return host;
    }

    private static final Pattern NAME_CHAIN = Pattern.compile("([A-Za-z_][A-Za-z_0-9]*)\\s*$");

    /** After {@code X.}: the attributes and methods of the variable X. */
    private void members(String target, List<Candidate> out) {
        Matcher m = NAME_CHAIN.matcher(target);
        Interpreter in = session.get();
        if (!m.find() || in == null) {
            return;
        }
        String name = m.group(1);
        int start = m.start(1);
        if (start > 0 && target.charAt(start - 1) == '.') {
            return; // a.b.c: only a plain variable's value is known without running code
        }
        Object value = in.get(name);
        if (value == null) {
            return;
        }
        for (String member : Members.names(in.library(), value)) {
            out.add(candidate(member, MEMBERS, null));
        }
    }

    /**
     * At the start of an argument, {@code name=} for each keyword argument of the innermost open
     * call: a built-in, a method of a variable, or a script function.
     */
    private void keywordArguments(String before, List<Candidate> out) {
        List<Tokens.Span> spans = new ArrayList<>();
        for (Tokens.Span s : Tokens.of(before)) {
            if (s.kind() != Tokens.Kind.BLANK && s.kind() != Tokens.Kind.COMMENT) {
                spans.add(s);
            }
        }
        if (spans.isEmpty()) {
            return;
        }
        String last = spans.get(spans.size() - 1).text();
        if (!last.equals("(") && !last.equals(",")) {
            return;
        }
        Deque<Integer> open = new ArrayDeque<>();
        for (int i = 0; i < spans.size(); i++) {
            String t = spans.get(i).text();
            if (t.equals("(") || t.equals("[") || t.equals("{")) {
                open.push(i);
            } else if ((t.equals(")") || t.equals("]") || t.equals("}")) && !open.isEmpty()) {
                open.pop();
            }
        }
        if (open.isEmpty() || !spans.get(open.peek()).text().equals("(") || open.peek() == 0) {
            return;
        }
        int paren = open.peek();
        Tokens.Span callee = spans.get(paren - 1);
        if (callee.kind() != Tokens.Kind.NAME) {
            return;
        }
        String receiver = paren >= 3 && spans.get(paren - 2).text().equals(".")
                && spans.get(paren - 3).kind() == Tokens.Kind.NAME ? spans.get(paren - 3).text() : null;
        for (String p : parameters(receiver, callee.text())) {
            out.add(new Candidate(p + "=", p + "=", ARGUMENTS, null, null, null, false));
        }
    }

    private List<String> parameters(String receiver, String name) {
        Interpreter in = session.get();
        if (receiver != null) {
            Object target = in == null ? null : in.get(receiver);
            if (target == null) {
                return List.of();
            }
            Builtin method = in.library().method(target, name);
            return method == null ? List.of() : keywordNames(method);
        }
        Object callee = in != null ? in.get(name) : Interpreter.standardLibrary().globals().get(name);
        if (callee instanceof Builtin b) {
            return keywordNames(b);
        }
        if (callee instanceof Callable c) {
            return scriptParameters(c.toString());
        }
        return List.of();
    }

    /** The parameters that may be given by name (not self, not *rest). */
    private static List<String> keywordNames(Builtin b) {
        List<String> out = new ArrayList<>();
        String text = b.signature().text();
        for (String p : b.signature().parameterNames()) {
            if (!p.equals("self") && !text.contains("*" + p)) {
                out.add(p);
            }
        }
        return out;
    }

    /** Parameter names from a script function's text, {@code <fn f(a, b=1)>}. */
    static List<String> scriptParameters(String text) {
        int open = text.indexOf('(');
        int close = text.lastIndexOf(')');
        List<String> out = new ArrayList<>();
        if (open < 0 || close < open) {
            return out;
        }
        int depth = 0;
        StringBuilder part = new StringBuilder();
        for (char c : (text.substring(open + 1, close) + ",").toCharArray()) {
            if (c == '(' || c == '[') {
                depth++;
            } else if (c == ')' || c == ']') {
                depth--;
            }
            if (c == ',' && depth == 0) {
                String p = part.toString().strip();
                int eq = p.indexOf('=');
                p = (eq < 0 ? p : p.substring(0, eq)).strip();
                if (p.matches("[A-Za-z_][A-Za-z_0-9]*")) {
                    out.add(p);
                }
                part.setLength(0);
            } else {
                part.append(c);
            }
        }
        return out;
    }

    /** Files for :load: directories and .cnn files under the typed path. */
    private static void files(String typed, List<Candidate> out) {
        String expanded = typed.startsWith("~/") ? io.cnnscript.interp.FilePolicy.home() + typed.substring(1) : typed;
        int slash = expanded.lastIndexOf('/');
        Path dir = Path.of(slash < 0 ? "." : slash == 0 ? "/" : expanded.substring(0, slash));
        String shownDir = slash < 0 ? "" : typed.substring(0, typed.lastIndexOf('/') + 1);
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path p : entries) {
                String name = p.getFileName().toString();
                if (Files.isDirectory(p)) {
                    out.add(new Candidate(shownDir + name + "/", name + "/", "files", null, null, null, false));
                } else if (name.endsWith(".cnn")) {
                    out.add(new Candidate(shownDir + name, name, "files", null, null, null, true));
                }
            }
        } catch (IOException | SecurityException e) {
            // An unreadable directory offers nothing.
        }
    }
}
