package io.cnnscript;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** Strings are sequences of characters (code points) as in Python: an emoji counts once and stays whole. */
class CodePointStringsTest {

    @Test
    void lengthIndexSliceAndLoopCountCodePoints() {
        ScriptRunner.Result r = ScriptRunner.run("""
                s = "a🎉b"
                print(len(s), s[::-1], s[1], s[-1], s[0:2], s[2:])
                print([c for c in s], list(s))
                print(len("é🎉🎉"), "é🎉🎉"[1:][::-1])
                """, "t.cnn");
        assertNull(r.error());
        // what Python 3 prints for the same lines
        assertEquals("3 b🎉a 🎉 b a🎉 b\n['a', '🎉', 'b'] ['a', '🎉', 'b']\n3 🎉🎉\n", r.out());
    }

    @Test
    void indexPastTheEndCountsCodePoints() {
        assertEquals("t.cnn:1:7: index 3 is out of range for a string of length 3",
                ScriptRunner.run("print(\"a🎉b\"[3])", "t.cnn").error().getMessage());
    }
}
