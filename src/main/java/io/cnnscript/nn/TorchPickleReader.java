package io.cnnscript.nn;

import ai.djl.ndarray.types.DataType;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.razorvine.pickle.IObjectConstructor;
import net.razorvine.pickle.PickleException;
import net.razorvine.pickle.PickleUtils;
import net.razorvine.pickle.Unpickler;

/**
 * Reads the pickle of a PyTorch weights file with Pyrolite, allowing only what a state_dict
 * needs, as {@code torch.load(weights_only=True)} does: {@code collections.OrderedDict},
 * {@code torch._utils._rebuild_tensor_v2}, {@code torch._utils._rebuild_parameter} and the
 * storage types. Any other global ({@code os.system}, a model's class) is refused the moment the
 * pickle names it, before anything is built from it; the opcodes that build objects without
 * naming a global ({@code INST}, {@code OBJ}, extensions) are refused too. Nothing the file says
 * is ever run: the allowed names only make plain Java records.
 *
 * <p>Pyrolite's own table of constructors is a JVM-wide static map; this reader never consults
 * it (it handles {@code GLOBAL} and {@code STACK_GLOBAL} itself), so no engine can change
 * another's behaviour through it.
 */
final class TorchPickleReader extends Unpickler {

    /** A storage the pickle refers to: the key of its zip entry (or legacy record), dtype and length. */
    record StorageRef(String key, DataType type, long numel) {}

    /** A tensor as the pickle describes it: a view of a storage. Its data is read later. */
    record TensorRef(StorageRef storage, long offset, long[] size, long[] stride) {}

    /** The pickle names something a weights file must not: the message says what. */
    static final class Refused extends RuntimeException {
        Refused(String message) {
            super(message, null, false, false);
        }
    }

    /** A storage class named in the pickle (torch.FloatStorage): only a marker for its dtype. */
    private record StorageType(String name, DataType type) {}

    /** The OrderedDict the pickle makes: a map that keeps insertion order. */
    private static final class OrderedDict extends LinkedHashMap<Object, Object> {}

    static final Map<String, DataType> STORAGES = Map.ofEntries(
            Map.entry("FloatStorage", DataType.FLOAT32), Map.entry("DoubleStorage", DataType.FLOAT64),
            Map.entry("HalfStorage", DataType.FLOAT16), Map.entry("BFloat16Storage", DataType.BFLOAT16),
            Map.entry("LongStorage", DataType.INT64), Map.entry("IntStorage", DataType.INT32),
            Map.entry("ShortStorage", DataType.INT16), Map.entry("CharStorage", DataType.INT8),
            Map.entry("ByteStorage", DataType.UINT8), Map.entry("BoolStorage", DataType.BOOLEAN));

    /** The storage class PyTorch names for a dtype, or null if PyTorch has none we write. */
    static String storageName(DataType type) {
        for (Map.Entry<String, DataType> e : STORAGES.entrySet()) {
            if (e.getValue() == type) {
                return e.getKey();
            }
        }
        return null;
    }

    /** Storages in the order the pickle first named them (the legacy format stores them so). */
    final Map<String, StorageRef> storages = new LinkedHashMap<>();

    private final byte[] data;

    TorchPickleReader(byte[] data) {
        this.data = data;
    }

    /** Unpickles the one pickle in the data. */
    Object read() throws IOException {
        return read(new ByteArrayInputStream(data));
    }

    /** Unpickles the next pickle of a stream (the legacy format holds several in a row). */
    Object read(ByteArrayInputStream in) throws IOException {
        try {
            return load(in);
        } catch (ClassCastException | IndexOutOfBoundsException | NullPointerException | NumberFormatException e) {
            throw new PickleException("its pickle is malformed"); // where, not which Java exception
        }
    }

    @Override
    protected Object dispatch(short key) throws PickleException, IOException {
        switch (key) {
            case 'c' -> { // GLOBAL module\nname\n
                String module = PickleUtils.readline(input);
                String name = PickleUtils.readline(input);
                stack.add(global(module, name));
                return NO_RETURN_VALUE;
            }
            case 0x93 -> { // STACK_GLOBAL
                Object name = stack.pop();
                Object module = stack.pop();
                if (!(name instanceof String n) || !(module instanceof String m)) {
                    throw new PickleException("its pickle is malformed (STACK_GLOBAL without names)");
                }
                stack.add(global(m, n));
                return NO_RETURN_VALUE;
            }
            case 'i', 'o', 0x82, 0x83, 0x84 -> throw new Refused("its pickle builds objects with the opcode "
                    + (key == 'i' ? "INST" : key == 'o' ? "OBJ" : "EXT") + ", which a state_dict never uses");
            case 'b' -> { // BUILD: only the _metadata a state_dict's OrderedDict carries
                stack.pop();
                if (!(stack.peek() instanceof OrderedDict)) {
                    throw new Refused("its pickle sets the state of an object (BUILD) that is not an OrderedDict");
                }
                return NO_RETURN_VALUE;
            }
            case 'u' -> { // SETITEMS, keeping the order (Pyrolite's own goes through a HashMap)
                List<Object> items = stack.pop_all_since_marker();
                @SuppressWarnings("unchecked")
                Map<Object, Object> dict = (Map<Object, Object>) stack.peek();
                for (int i = 0; i + 1 < items.size(); i += 2) {
                    dict.put(items.get(i), items.get(i + 1));
                }
                return NO_RETURN_VALUE;
            }
            case 'T', 'B', 'X' -> checkLength(4); // BINSTRING, BINBYTES, BINUNICODE
            case 0x8d, 0x8e, 0x96 -> checkLength(8); // BINUNICODE8, BINBYTES8, BYTEARRAY8
            case 0x8b -> checkLength(4); // LONG4
            default -> {
                // the other opcodes only move values about
            }
        }
        return super.dispatch(key);
    }

    /** A length prefix must not promise more bytes than the pickle has (Pyrolite allocates first). */
    private void checkLength(int bytes) throws IOException {
        input.mark(16);
        byte[] b = input.readNBytes(bytes);
        input.reset();
        if (b.length < bytes) {
            throw new PickleException("its pickle is truncated");
        }
        long n = 0;
        for (int i = bytes - 1; i >= 0; i--) {
            n = (n << 8) | (b[i] & 0xff);
        }
        if (n < 0 || n > input.available()) {
            throw new PickleException("its pickle is truncated (a value of " + n + " bytes where "
                    + input.available() + " are left)");
        }
    }

    private static boolean isModel(String module) {
        return module.equals("__main__") || module.startsWith("torch.nn.") || module.equals("torch.nn");
    }

    private Object global(String module, String name) {
        String full = module + "." + name;
        switch (full) {
            case "collections.OrderedDict":
                return (IObjectConstructor) args -> new OrderedDict();
            case "torch._utils._rebuild_tensor_v2":
                return (IObjectConstructor) TorchPickleReader::rebuildTensor;
            case "torch._utils._rebuild_parameter", "torch._utils._rebuild_parameter_with_state":
                return (IObjectConstructor) args -> {
                    if (args.length < 1 || !(args[0] instanceof TensorRef t)) {
                        throw new PickleException("its pickle is malformed (_rebuild_parameter without a tensor)");
                    }
                    return t;
                };
            default:
                break;
        }
        if (module.equals("torch") && STORAGES.containsKey(name)) {
            DataType type = STORAGES.get(name);
            if (type == DataType.INT16 || type == DataType.BFLOAT16) {
                // The tensor engine aborts the whole process on these two types: refused before.
                String dtype = type == DataType.INT16 ? "int16" : "bfloat16";
                throw new Refused("it holds " + (type == DataType.INT16 ? "an " : "a ") + dtype + " tensor, and cnnscript has no " + dtype + ": in PyTorch, "
                        + "convert it (.int() or .float()) before saving");
            }
            return new StorageType(name, type);
        }
        if (isModel(module)) {
            throw new Refused("it holds a whole pickled model (" + full + "), not a state_dict: in PyTorch, save the "
                    + "weights with torch.save(net.state_dict(), path) and load that file");
        }
        throw new Refused("its pickle names " + full + ", and a weights file may only name what a state_dict needs "
                + "(collections.OrderedDict, torch._utils._rebuild_tensor_v2, torch._utils._rebuild_parameter and "
                + "the storage types); nothing in it was run");
    }

    private static long toLong(Object v, String what) {
        if (v instanceof Integer || v instanceof Long) {
            return ((Number) v).longValue();
        }
        throw new PickleException("its pickle is malformed (" + what + " is not an int)");
    }

    private static long[] longs(Object v, String what) {
        if (!(v instanceof Object[] items)) {
            throw new PickleException("its pickle is malformed (" + what + " is not a tuple)");
        }
        long[] out = new long[items.length];
        for (int i = 0; i < items.length; i++) {
            out[i] = toLong(items[i], what);
        }
        return out;
    }

    /** _rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad, backward_hooks[, metadata]). */
    private static Object rebuildTensor(Object[] args) {
        if (args.length < 4 || !(args[0] instanceof StorageRef s)) {
            throw new PickleException("its pickle is malformed (_rebuild_tensor_v2 without a storage)");
        }
        long[] size = longs(args[2], "a tensor's size");
        long[] stride = longs(args[3], "a tensor's stride");
        if (size.length != stride.length) {
            throw new PickleException("its pickle is malformed (a tensor's size and stride differ in length)");
        }
        return new TensorRef(s, toLong(args[1], "a storage offset"), size, stride);
    }

    /** A persistent id: ('storage', torch.FloatStorage, key, location, numel[, view_metadata]). */
    @Override
    protected Object persistentLoad(Object pid) {
        if (!(pid instanceof Object[] t) || t.length < 5 || !"storage".equals(t[0])) {
            throw new PickleException("its pickle refers to something other than a tensor storage");
        }
        if (!(t[1] instanceof StorageType type)) {
            throw new PickleException("its pickle refers to a storage of an unknown type");
        }
        if (t.length > 5 && t[5] != null) {
            throw new PickleException("it uses storage views (a format older than PyTorch 1.0); load it in PyTorch "
                    + "and save it again");
        }
        String key = String.valueOf(t[2]);
        long numel = toLong(t[4], "a storage's size");
        StorageRef ref = new StorageRef(key, type.type(), numel);
        StorageRef known = storages.putIfAbsent(key, ref);
        if (known != null && !known.equals(ref)) {
            throw new PickleException("its pickle gives storage " + key + " two types or sizes");
        }
        return known != null ? known : ref;
    }

    /** The tensors of an OrderedDict or dict of name to tensor, in the file's order; null if it is not one. */
    static Map<String, TensorRef> stateDict(Object top) {
        if (!(top instanceof Map<?, ?> map)) {
            return null;
        }
        Map<String, TensorRef> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (!(e.getKey() instanceof String name) || !(e.getValue() instanceof TensorRef t)) {
                return null;
            }
            out.put(name, t);
        }
        return out;
    }

    /** What the top-level object is, in Python's words, for an error. */
    static String describe(Object top) {
        if (top instanceof Map<?, ?> map) {
            List<String> keys = new ArrayList<>();
            for (Object k : map.keySet()) {
                keys.add(String.valueOf(k));
                if (keys.size() == 5) {
                    break;
                }
            }
            return "a dict with keys " + String.join(", ", keys) + (map.size() > 5 ? ", ..." : "")
                    + " whose values are not all tensors";
        }
        if (top instanceof Object[]) {
            return "a tuple";
        }
        if (top instanceof List<?>) {
            return "a list";
        }
        if (top instanceof String) {
            return "a str";
        }
        if (top instanceof Number) {
            return "a number";
        }
        return top == null ? "None" : "an object of another kind";
    }
}
