package io.cnnscript.diff;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Random pieces of cnnscript source for the differential generators: values, shapes, tensors. */
final class Gen {

    final Random r;

    Gen(Random r) {
        this.r = r;
    }

    int i(int lo, int hi) {
        return lo + r.nextInt(hi - lo + 1);
    }

    boolean p(double chance) {
        return r.nextDouble() < chance;
    }

    @SafeVarargs
    final <T> T pick(T... items) {
        return items[r.nextInt(items.length)];
    }

    <T> T pick(List<T> items) {
        return items.get(r.nextInt(items.size()));
    }

    /** A float with few binary digits (exact in float32), printed so cnnscript reads it as a float. */
    String fnum() {
        double v = i(-16, 16) / 4.0;
        return p(0.1) ? pick("0.1", "-0.3", "2.5e-3", "1e3", "0.0") : Double.toString(v);
    }

    String inum() {
        return Integer.toString(i(-6, 6));
    }

    /** A plain number of either kind. */
    String num() {
        return p(0.5) ? inum() : fnum();
    }

    int[] shape(int minRank, int maxRank) {
        int rank = i(minRank, maxRank);
        int[] s = new int[rank];
        for (int k = 0; k < rank; k++) {
            s[k] = i(1, 4);
        }
        return s;
    }

    static String shapeText(int[] s) {
        StringBuilder b = new StringBuilder("(");
        for (int k = 0; k < s.length; k++) {
            b.append(k > 0 ? ", " : "").append(s[k]);
        }
        return b.append(s.length == 1 ? ",)" : ")").toString();
    }

    static String sizesText(int[] s) {
        StringBuilder b = new StringBuilder();
        for (int k = 0; k < s.length; k++) {
            b.append(k > 0 ? ", " : "").append(s[k]);
        }
        return b.toString();
    }

    /** A tensor literal of the shape and kind ("float", "int", "bool", "double"); rank 0 through as_tensor. */
    String tensor(int[] s, String kind) {
        if (s.length == 0) {
            String v = element(kind, true);
            String t = "as_tensor(" + v + ")";
            return kind.equals("double") ? t + ".double()" : t;
        }
        StringBuilder b = new StringBuilder("tensor");
        boolean[] floatSeen = {false};
        nested(b, s, 0, kind, floatSeen);
        String t = b.toString();
        if ((kind.equals("float") || kind.equals("double")) && !floatSeen[0]) {
            t = t.replaceFirst("(-?\\d+)([,\\]])", "$1.0$2");
        }
        return kind.equals("double") ? t + ".double()" : t;
    }

    private void nested(StringBuilder b, int[] s, int d, String kind, boolean[] floatSeen) {
        b.append('[');
        for (int k = 0; k < s[d]; k++) {
            if (k > 0) {
                b.append(", ");
            }
            if (d == s.length - 1) {
                String e = element(kind, false);
                if (e.contains(".") || e.contains("e")) {
                    floatSeen[0] = true;
                }
                b.append(e);
            } else {
                nested(b, s, d + 1, kind, floatSeen);
            }
        }
        b.append(']');
    }

    private String element(String kind, boolean scalar) {
        return switch (kind) {
            case "int" -> inum();
            case "bool" -> pick("true", "false");
            default -> p(0.5) ? Integer.toString(i(-6, 6)) + (scalar ? ".0" : "") : Double.toString(i(-16, 16) / 4.0);
        };
    }

    String kind() {
        return pick("float", "float", "float", "int", "int", "bool", "double");
    }

    String anyTensor(int minRank, int maxRank) {
        return tensor(shape(minRank, maxRank), kind());
    }

    String floatTensor(int minRank, int maxRank) {
        return tensor(shape(minRank, maxRank), "float");
    }

    /** A dim argument for a tensor of the rank: usually valid, sometimes negative or out of range. */
    String dim(int rank) {
        int lo = -Math.max(rank, 1);
        int hi = Math.max(rank, 1) - 1;
        if (p(0.07)) {
            return Integer.toString(pick(hi + 1, lo - 1));
        }
        return Integer.toString(i(lo, hi));
    }

    /** Two shapes that usually broadcast. */
    int[][] broadcastPair() {
        int[] a = shape(0, 4);
        int[] b = a.clone();
        for (int k = 0; k < b.length; k++) {
            if (p(0.3)) {
                b[k] = 1;
            } else if (p(0.05)) {
                b[k] = i(1, 4);
            }
        }
        if (p(0.3) && b.length > 0) {
            int drop = i(0, b.length);
            int[] c = new int[b.length - drop];
            System.arraycopy(b, drop, c, 0, c.length);
            b = c;
        }
        return p(0.5) ? new int[][] {a, b} : new int[][] {b, a};
    }

    /** One index or slice item for a dimension of the size. */
    String indexItem(int size, boolean allowFancy) {
        int c = i(0, allowFancy ? 11 : 8);
        return switch (c) {
            case 0, 1 -> Integer.toString(i(-size, size - 1));
            case 2 -> Integer.toString(pick(size, -size - 1));
            case 3 -> ":";
            case 4 -> bound(size) + ":" + bound(size);
            case 5 -> ":" + bound(size);
            case 6 -> "::" + pick(1, 2, -1, -2);
            case 7 -> bound(size) + ":" + bound(size) + ":" + pick(1, 2, 3, -1);
            case 8 -> bound(size) + ":";
            case 9 -> "none";
            case 10 -> "...";
            default -> "[" + i(-size, size - 1) + (p(0.5) ? ", " + i(0, size - 1) : "") + "]";
        };
    }

    private String bound(int size) {
        return Integer.toString(i(-size - 1, size + 1));
    }

    List<String> indexList(int[] s, boolean allowFancy) {
        List<String> items = new ArrayList<>();
        int n = i(1, Math.max(1, s.length + (p(0.1) ? 1 : 0)));
        for (int k = 0; k < n; k++) {
            items.add(indexItem(k < s.length ? s[k] : 1, allowFancy));
        }
        return items;
    }
}
