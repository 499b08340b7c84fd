package io.cnnscript.interp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.cnnscript.ScriptRunner;
import org.junit.jupiter.api.Test;

/**
 * A comprehension's loop names are its own, as in Python 3: they do not change or hide a
 * variable of the same name outside it, wherever the comprehension is written (a statement, a
 * tensor literal, an index). Each expected output is what Python 3 / PyTorch print.
 */
class ComprehensionScopeTest {

    private static String run(String source) {
        return ScriptRunner.run(source, "t.cnn").transcript();
    }

    @Test
    void atTheTopLevelTheLoopNameDoesNotOverwriteAGlobal() {
        assertEquals("100 [0, 2, 4]\n", run("i = 100\nx = [i * 2 for i in range(3)]\nprint(i, x)\n"));
    }

    @Test
    void insideATensorLiteral() {
        assertEquals("(7, tensor([[0, 2, 4]]))\n", run("""
                j = 7
                fn k() {
                    a = j
                    t = tensor[[j * 2 for j in range(3)]]
                    return (a, t)
                }
                print(k())
                """));
    }

    @Test
    void insideAnIndexSubscript() {
        assertEquals("7\ntensor([[1., 2.],\n        [3., 4.]])\n", run("""
                X = tensor[[1.0, 2.0], [3.0, 4.0]]
                j = 7
                fn h() {
                    a = j
                    t = X[[j for j in range(2)]]
                    print(a)
                    print(t)
                }
                h()
                """));
    }

    @Test
    void asAStatementInAFunction() {
        assertEquals("7\n", run("""
                j = 7
                fn l() {
                    a = j
                    t = [j for j in range(3)]
                    return a
                }
                print(l())
                """));
    }

    @Test
    void nestedComprehensionsSeeTheOuterLoopNameAndTheFunctionsLocals() {
        assertEquals("[[10, 10, 10], [10, 11, 12]]\n",
                run("fn m(n) { return [[i * j + n for j in range(3)] for i in range(2)] }\nprint(m(10))\n"));
    }

    @Test
    void theLoopNameIsUnknownAfterIt() {
        assertEquals("t.cnn:3:12: 'k' is not defined\n", run("""
                fn q() {
                    y = [k for k in range(2)]
                    return k
                }
                q()
                """).lines().reduce((a, b) -> b).orElse("") + "\n");
    }
}
