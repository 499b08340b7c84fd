package io.cnnscript.lib;

/** How a built-in is shown by :help and help(): its title (methods with their receiver) and its wrapped doc. */
public final class HelpText {

    private HelpText() {}

    /** The name a built-in is written with: methods show their receiver. */
    public static String title(Builtin b) {
        String sig = b.signature().text();
        String receiver = switch (b.family()) {
            case "tensor methods" -> "X";
            case "list methods" -> "list";
            case "string methods" -> "string";
            default -> null;
        };
        if (receiver == null) {
            return sig;
        }
        return receiver + "." + sig.replaceFirst("\\(self,\\s*", "(").replaceFirst("\\(self\\)", "()");
    }

    /** The title, the family and the doc wrapped at 76 columns. */
    public static String describe(Builtin b) {
        return title(b) + "   [" + b.family() + "]\n" + wrap(b.doc(), 76, "    ");
    }

    public static String wrap(String text, int width, String indent) {
        StringBuilder out = new StringBuilder();
        for (String paragraph : text.split("\n")) {
            StringBuilder line = new StringBuilder(indent);
            for (String word : paragraph.split(" +")) {
                if (line.length() > indent.length() && line.length() + 1 + word.length() > width) {
                    out.append(line).append('\n');
                    line = new StringBuilder(indent);
                }
                if (line.length() > indent.length()) {
                    line.append(' ');
                }
                line.append(word);
            }
            out.append(line).append('\n');
        }
        return out.toString();
    }
}
