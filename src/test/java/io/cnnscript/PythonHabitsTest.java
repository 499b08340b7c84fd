package io.cnnscript;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.cnnscript.error.CnnException;
import io.cnnscript.error.CnnExit;
import io.cnnscript.error.ErrorPrinter;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What a Python user writes out of habit gets a one-line hint with the cnnscript spelling, or
 * works where that costs nothing (help(x), exit()); errors inside functions show the calls that
 * led to them.
 */
class PythonHabitsTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            x = True                                   | t.cnn:1:5: 'True' is not defined; cnnscript writes true
            x = False                                  | t.cnn:1:5: 'False' is not defined; cnnscript writes false
            if x == None { }                           | t.cnn:1:4: 'x' is not defined
            x = 1; y = x == None                       | t.cnn:1:17: 'None' is not defined; cnnscript writes none
            def f(x):                                  | t.cnn:1:5: unexpected 'f'; cnnscript defines functions as fn f(x) { ... }
            x = 1; if x == 1:                          | t.cnn:1:17: unexpected ':'; blocks go in braces: if x == 1 { ... }
            for i in range(3):                         | t.cnn:1:18: unexpected ':'; blocks go in braces: for i in range(3) { ... }
            while true:                                | t.cnn:1:11: unexpected ':'; blocks go in braces: while true { ... }
            l = ones(2).sum(); l.backward()            | t.cnn:1:20: a tensor has no attribute or method 'backward'; cnnscript calls it as a function: backward(loss)
            `\"\"\"A docstring.\"\"\"`                     | t.cnn:1:3: unexpected '"A docstring."'; cnnscript has no triple-quoted strings (docstrings): write comments with #
            `\"\"\"A docstring`                          | t.cnn:1:3: unterminated string; cnnscript has no triple-quoted strings (docstrings): write comments with #
            dir()                                      | t.cnn:1:1: 'dir' is not defined; :vars lists the variables, :help the built-ins
            import torch                               | t.cnn:1:8: unexpected 'torch'; cnnscript needs no imports: its built-ins are always there
            """)
    void habitsGetAHint(String source, String message) {
        ScriptRunner.Result r = ScriptRunner.run(source, "t.cnn");
        assertNotNull(r.error(), source);
        assertEquals(message, r.error().getMessage());
    }

    @Test
    void elseWithAColonAfterABrace() {
        ScriptRunner.Result r = ScriptRunner.run("x = 1\nif x == 2 {\n    print(2)\n} elif x == 1:\n    print(1)\n", "t.cnn");
        assertEquals("t.cnn:4:8: unexpected 'x'; blocks go in braces: else if x == 1 { ... }", r.error().getMessage());
    }

    @Test
    void helpDescribesBuiltinsAndYourFunctions() {
        ScriptRunner.Result r = ScriptRunner.run(String.join("\n",
                "help(corr2d)",
                "fn area(width, height=1) { return width * height }",
                "help(area)",
                "layer Scale(n) {",
                "    w = param(ones(n))",
                "    forward(x) { return x * w }",
                "}",
                "help(Scale)",
                "help(\"zeros_lik\")",
                "help()"), "t.cnn");
        assertNull(r.error());
        assertEquals("""
                corr2d(X, K)   [tensors]
                    2-D cross-correlation of the 2-D input X with the 2-D kernel K: Y[i, j]
                    = (X[i:i + h, j:j + w] * K).sum(). Gives float32.
                fn area(width, height=1)   [your function, t.cnn:2:1]
                layer Scale(n)   [your layer, t.cnn:4:1]
                    methods: forward
                no built-in named 'zeros_lik'; did you mean 'zeros_like'? (:help lists them all)
                help(f) describes a built-in or one of your functions; in the REPL, :help lists the commands and every built-in
                """, r.out());
    }

    @Test
    void exitEndsTheScriptWithItsStatus() {
        ScriptRunner.Result r = ScriptRunner.run("print(1)\nfn stop() { quit(4) }\nstop()\nprint(2)\n", "t.cnn");
        assertEquals("1\n", r.out());
        assertEquals(4, ((CnnExit) r.error()).status());
        assertEquals(0, ((CnnExit) ScriptRunner.run("exit()", "t.cnn").error()).status());
    }

    @Test
    void errorsInsideFunctionsShowTheCalls() {
        String source = String.join("\n",
                "fn inner(y) {",
                "    return y + z",
                "}",
                "fn outer(x) {",
                "    return inner(x)",
                "}",
                "fn down(n) {",
                "    if n == 0 { return outer(n) }",
                "    return down(n - 1)",
                "}",
                "down(3)", "");
        CnnException e = ScriptRunner.run(source, "t.cnn").error();
        StringWriter err = new StringWriter();
        ErrorPrinter.print(new PrintWriter(err), e, source, false);
        assertEquals("""
                Traceback (most recent call last):
                  t.cnn:11, at the top level
                  t.cnn:9, in down
                  [the line above repeats 2 more times]
                  t.cnn:8, in down
                  t.cnn:5, in outer
                  t.cnn:2, in inner
                t.cnn:2:16: 'z' is not defined
                        return y + z
                                   ^
                """, err.toString());
        assertEquals("t.cnn:2:16: 'z' is not defined", e.getMessage());
    }

    @Test
    void anErrorAtTheTopLevelHasNoTraceback() {
        String source = "fn f(x) { return x }\nf(1, 2)\n";
        CnnException e = ScriptRunner.run(source, "t.cnn").error();
        assertEquals("", ErrorPrinter.traceback(e));
        assertEquals(0, e.calls().size());
    }
}
