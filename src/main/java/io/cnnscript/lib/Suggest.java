package io.cnnscript.lib;

import java.util.Collection;

/** "did you mean" for misspelt names. */
public final class Suggest {

    private Suggest() {}

    /** The closest candidate within a small edit distance, or null. */
    public static String closest(String name, Collection<String> candidates) {
        if (name.length() <= 2) {
            return null;
        }
        String best = null;
        int bestDistance = name.length() <= 4 ? 1 : name.length() <= 8 ? 2 : 3;
        for (String c : candidates) {
            if (c.equals(name)) {
                continue;
            }
            int d = distance(name.toLowerCase(java.util.Locale.ROOT), c.toLowerCase(java.util.Locale.ROOT));
            if (d <= bestDistance && (best == null || d < bestDistance)) {
                best = c;
                bestDistance = d;
            }
        }
        return best;
    }

    /** " (did you mean 'x'?)" or "". */
    public static String hint(String name, Collection<String> candidates) {
        String c = closest(name, candidates);
        return c == null ? "" : "; did you mean '" + c + "'?";
    }

    static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    cur[j] = Math.min(cur[j], prev[j - 2 < 0 ? 0 : j - 2] + 1);
                }
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
