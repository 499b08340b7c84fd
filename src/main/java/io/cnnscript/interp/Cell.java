package io.cnnscript.interp;

/** A global variable's box. Nodes hold the cell itself, so reading a global is one field load. */
final class Cell {
    final String name;
    Object value; // null: not assigned

    Cell(String name) {
        this.name = name;
    }
}
