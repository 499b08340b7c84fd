import io.cnnscript.api.CnnEngine;
import io.cnnscript.api.CnnScript;
import io.cnnscript.error.CnnException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;

/**
 * Embeds cnnscript: loads stripes.cnn, which classifies images by their edges, and classifies
 * images made in Java. Run: java -cp target/classes:target/lib/* StripeClassifier.java [DIR]
 */
public class StripeClassifier {

    public static void main(String[] args) {
        Path dir = Path.of(args.length > 0 ? args[0] : "examples/embedding");
        PrintWriter out = new PrintWriter(System.out, true);
        try (CnnEngine engine = CnnEngine.builder().out(out).err(out).build()) {
            // A host function: the script reports each decision to Java.
            engine.define("report(label, v, h)", "Tells the host what the classifier saw.", a ->
                    { out.printf("  (edges: vertical %.0f, horizontal %.0f)%n", a.get(1), a.get(2)); return null; });
            engine.eval(dir.resolve("stripes.cnn"));

            float[][][] images = {stripes(6, true), stripes(6, false), stripes(4, true), new float[5][5]};
            for (float[][] image : images) {
                out.println(image.length + "x" + image[0].length + " image: " + engine.call("classify", (Object) image));
            }

            // A compiled script runs many times over values set from Java.
            CnnScript energy = engine.compile("edge_energy(img, K_vertical)");
            for (int width = 2; width <= 4; width++) {
                engine.set("img", stripes(width, true));
                out.println("vertical edge energy of a " + width + "x" + width + " image: " + energy.run());
            }

            // Script errors carry their place.
            try {
                engine.eval("classify(zeros(3))", "<java>");
            } catch (CnnException e) {
                out.println("error: " + e.getMessage());
            }
        }
    }

    /** An n-by-n image of alternating 0/1 stripes, vertical or horizontal. */
    static float[][] stripes(int n, boolean vertical) {
        float[][] img = new float[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                img[i][j] = ((vertical ? j : i) % 2 == 0) ? 1 : 0;
            }
        }
        return img;
    }
}
