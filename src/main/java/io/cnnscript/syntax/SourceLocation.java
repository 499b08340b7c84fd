package io.cnnscript.syntax;

/** Where a node starts in its source: a file name (or "<stdin>", "<eval>"), a 1-based line and column. */
public record SourceLocation(String file, int line, int column) {

    @Override
    public String toString() {
        return file + ":" + line + ":" + column;
    }
}
