package io.cnnscript.interp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import io.cnnscript.error.CnnException;
import io.cnnscript.lib.Builtin;
import io.cnnscript.lib.Library;
import io.cnnscript.lib.Members;
import java.util.Locale;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/**
 * The built-ins and what {@code >>} means come from the library an engine is built with, not
 * from registrations in static state: two engines in one JVM with different libraries each see
 * their own.
 */
class LibraryWiringTest {

    private static String run(Library library, String source) {
        StringWriter out = new StringWriter();
        try (Interpreter in = new Interpreter(NDManager.newBaseManager(), new PrintWriter(out), new PrintWriter(out),
                library)) {
            in.eval(source, "t.cnn", false);
        }
        return out.toString();
    }

    @Test
    void composeComesFromTheEnginesLibrary() {
        Library joining = Library.builder().composer((rt, a, b) -> a + "|" + b).build();
        Library plain = Library.builder().build();
        assertEquals("x|y\n", run(joining, "print('x' >> 'y')"));
        CnnException e = assertThrows(CnnException.class, () -> run(plain, "print('x' >> 'y')"));
        assertEquals("t.cnn:1:11: cannot apply '>>' to string and string", e.getMessage());
        // the standard library's >> is nn's: layers make a Sequential, and a string is refused by nn
        assertEquals("Sequential(\n  (0): ReLU()\n  (1): Flatten(start_dim=1, end_dim=-1)\n)\n",
                run(Interpreter.standardLibrary(), "print(ReLU >> Flatten)"));
        e = assertThrows(CnnException.class, () -> run(Interpreter.standardLibrary(), "print('x' >> 'y')"));
        assertTrue(e.getMessage().startsWith("t.cnn:1:11: a string is not a layer"), e.getMessage());
    }

    @Test
    void nnBuiltInsAreThereOnlyWhenWiredIn() {
        CnnException e = assertThrows(CnnException.class, () -> run(Library.builder().build(), "c = Conv(1, 1, 3)"));
        assertTrue(e.getMessage().startsWith("t.cnn:1:5: 'Conv' is not defined"), e.getMessage());
        assertEquals("true\n", run(Interpreter.standardLibrary(), "print(Conv(1, 1, 3).weight.shape == (1, 1, 3, 3))"));
    }

    @Test
    void helpReadsTheLibraryItIsIn() {
        String withNn = run(Interpreter.standardLibrary(), "help('Conv')");
        assertTrue(withNn.startsWith("Conv(in_channels, out_channels, kernel_size"), withNn);
        assertEquals("no built-in named 'Conv' (:help lists them all)\n", run(Library.builder().build(), "help('Conv')"));
    }

    private static final Builtin SHOUT = new Builtin("string methods", "shout(self, times=1)",
            "The string in capitals, times times.",
            (rt, a) -> ((String) a.get("self")).toUpperCase(Locale.ROOT).repeat(a.toInt("times")));

    @Test
    void methodsComeFromTheEnginesLibrary() {
        Library shouting = Library.builder().method(Library.Receiver.STRING, SHOUT).build();
        assertEquals("HIHI\n<method shout(self, times=1)> HO\n",
                run(shouting, "print('hi'.shout(times=2))\nf = 'ho'.shout\nprint(f, f())"));
        assertTrue(shouting.documented().contains(SHOUT));
        assertTrue(Members.names(shouting, "s").contains("shout"));
        // the standard library, and a library built after this one, never saw the addition
        for (Library other : new Library[] {Interpreter.standardLibrary(), Library.builder().build()}) {
            CnnException e = assertThrows(CnnException.class, () -> run(other, "print('hi'.shout())"));
            assertEquals("t.cnn:1:7: a string has no attribute or method 'shout'", e.getMessage());
            assertFalse(other.documented().contains(SHOUT));
            assertFalse(Members.names(other, "s").contains("shout"));
            assertEquals("HI\n", run(other, "print('hi'.upper())"));
        }
    }

    @Test
    void aMethodTakesSelfFirstAndEachNameOnce() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Library.builder().method(Library.Receiver.STRING, SHOUT).method(Library.Receiver.STRING, SHOUT));
        assertEquals("STRING method shout is added twice", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Library.builder().method(Library.Receiver.LIST,
                new Builtin("list methods", "upper(x)", "", (rt, a) -> a.get("x"))));
        assertEquals("a method's first parameter is self: upper(x)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Library.builder().method(Library.Receiver.STRING,
                new Builtin("string methods", "upper(self)", "", (rt, a) -> a.get("self"))));
        assertEquals("STRING method upper is added twice", e.getMessage());
    }
}
