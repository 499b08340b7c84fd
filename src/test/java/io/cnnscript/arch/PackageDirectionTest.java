package io.cnnscript.arch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The packages depend one way: cli → jupyter → repl → api → interp → parse, nn → lib → value,
 * syntax → error. A class may use its own package and any package on a lower level, never one
 * on its level or above. This reads every source file under src/main/java (imports and
 * fully-qualified names in code; comments and string literals do not count) and names each
 * reference that goes the wrong way.
 */
class PackageDirectionTest {

    /** Level of each package: a package may use only packages of a lower level. */
    static final Map<String, Integer> LEVEL = Map.ofEntries(
            Map.entry("cli", 9),
            Map.entry("jupyter", 8),
            Map.entry("repl", 7),
            Map.entry("api", 6),
            Map.entry("interp", 5),
            Map.entry("parse", 4),
            Map.entry("nn", 4),
            Map.entry("lib", 3),
            Map.entry("value", 2),
            Map.entry("syntax", 2),
            Map.entry("error", 1));

    private static final Path ROOT = Path.of("src/main/java/io/cnnscript");
    private static final Pattern REF = Pattern.compile("\\bio\\.cnnscript\\.([a-z]+)\\b");

    @Test
    void everyReferenceGoesDownwards() throws IOException {
        List<String> wrong = new ArrayList<>();
        TreeSet<String> unknown = new TreeSet<>();
        List<Path> files;
        try (Stream<Path> s = Files.walk(ROOT)) {
            files = s.filter(p -> p.toString().endsWith(".java")).sorted().toList();
        }
        assertTrue(files.size() > 50, "found only " + files.size() + " sources under " + ROOT);
        for (Path file : files) {
            String from = ROOT.relativize(file).getName(0).toString();
            if (!LEVEL.containsKey(from)) {
                unknown.add(from);
                continue;
            }
            String[] lines = code(Files.readString(file)).split("\n", -1);
            for (int i = 0; i < lines.length; i++) {
                Matcher m = REF.matcher(lines[i]);
                while (m.find()) {
                    String to = m.group(1);
                    if (to.equals(from)) {
                        continue;
                    }
                    Integer level = LEVEL.get(to);
                    if (level == null) {
                        unknown.add(to);
                    } else if (level >= LEVEL.get(from)) {
                        wrong.add(ROOT.relativize(file) + ":" + (i + 1) + ": " + from + " uses " + to + " ("
                                + lines[i].strip() + ")");
                    }
                }
            }
        }
        assertEquals(List.of(), List.copyOf(unknown), "packages without a level in PackageDirectionTest.LEVEL");
        assertEquals("", String.join("\n", wrong), "references against the package direction");
    }

    @Test
    void theScannerSeesCodeButNotCommentsOrStrings() {
        String src = "import io.cnnscript.cli.Main; // io.cnnscript.repl.X\n"
                + "String s = \"io.cnnscript.api.Y\"; /* io.cnnscript.nn.Z\n io.cnnscript.lib.W */ char c = '\"';\n"
                + "String t = \"\"\"\n  io.cnnscript.interp.T\n  \"\"\"; io.cnnscript.value.V v;\n";
        String code = code(src);
        List<String> seen = new ArrayList<>();
        Matcher m = REF.matcher(code);
        while (m.find()) {
            seen.add(m.group(1));
        }
        assertEquals(List.of("cli", "value"), seen);
        assertEquals(src.split("\n", -1).length, code.split("\n", -1).length, "line numbers are kept");
    }

    /** The source with comments and string, text-block and char literals blanked (newlines kept). */
    static String code(String src) {
        StringBuilder out = new StringBuilder(src.length());
        int i = 0;
        int n = src.length();
        while (i < n) {
            char c = src.charAt(i);
            if (src.startsWith("//", i)) {
                while (i < n && src.charAt(i) != '\n') {
                    i++;
                }
            } else if (src.startsWith("/*", i)) {
                int end = src.indexOf("*/", i + 2);
                end = end < 0 ? n : end + 2;
                blank(src, i, end, out);
                i = end;
            } else if (src.startsWith("\"\"\"", i)) {
                int end = src.indexOf("\"\"\"", i + 3);
                end = end < 0 ? n : end + 3;
                blank(src, i, end, out);
                i = end;
            } else if (c == '"' || c == '\'') {
                int j = i + 1;
                while (j < n && src.charAt(j) != c && src.charAt(j) != '\n') {
                    j += src.charAt(j) == '\\' ? 2 : 1;
                }
                int end = Math.min(n, j + 1);
                blank(src, i, end, out);
                i = end;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    private static void blank(String src, int from, int to, StringBuilder out) {
        for (int k = from; k < to; k++) {
            out.append(src.charAt(k) == '\n' ? '\n' : ' ');
        }
    }
}
