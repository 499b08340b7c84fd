package io.cnnscript.nn;

import io.cnnscript.value.HasMembers;
import io.cnnscript.value.Runtime;
import io.cnnscript.value.ScriptIterable;
import io.cnnscript.value.Tuple;
import io.cnnscript.value.Values;
import java.util.Iterator;
import java.util.List;

/**
 * One split of a data set in batches: {@code for X, y in train_iter { ... }} gives X float32
 * (B, 1, 28, 28) in [0, 1] and y int64 (B). Shuffling draws from the engine's random source, so
 * seed(n) makes the order repeatable.
 */
final class DataIterable implements ScriptIterable, HasMembers, Values.Named {

    final FashionMnist.Split split;
    final String label;
    final int batchSize;
    final boolean shuffle;

    DataIterable(FashionMnist.Split split, String label, int batchSize, boolean shuffle) {
        this.split = split;
        this.label = label;
        this.batchSize = batchSize;
        this.shuffle = shuffle;
    }

    @Override
    public String typeName() {
        return "dataset";
    }

    @Override
    public String toString() {
        return "<" + label + ": " + split.size() + " images in batches of " + batchSize
                + (shuffle ? ", shuffled" : "") + ">";
    }

    /** Batches made in the running statement's scope (a loop's variables keep them as long as needed). */
    @Override
    public Iterator<Object> iterator(Runtime rt) {
        Iterator<FashionMnist.Batch> it = split.batches(rt.scope(), batchSize, shuffle, rt.random());
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return it.hasNext();
            }

            @Override
            public Object next() {
                rt.checkStop();
                FashionMnist.Batch b = it.next();
                return rt.adopt(Tuple.of(b.x(), b.y())); // new batches: the loop's statement owns them
            }
        };
    }

    @Override
    public Object attribute(Runtime rt, String name) {
        return switch (name) {
            case "batch_size" -> (long) batchSize;
            case "size" -> (long) split.size();
            case "num_batches" -> (long) split.numBatches(batchSize);
            default -> null;
        };
    }

    @Override
    public Object callMethod(Runtime rt, String name, Object[] args, String[] kn, Object[] kv) {
        if (!name.equals("__len__")) {
            return null;
        }
        // len(train_iter): the number of batches, as len() of a PyTorch DataLoader.
        LEN.bind(args, kn, kv);
        return (long) split.numBatches(batchSize);
    }

    private static final io.cnnscript.lib.Signature LEN = io.cnnscript.lib.Signature.parse("__len__()");

    @Override
    public List<String> memberNames() {
        return List.of("batch_size", "size", "num_batches");
    }
}
