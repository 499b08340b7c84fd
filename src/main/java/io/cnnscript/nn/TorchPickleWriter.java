package io.cnnscript.nn;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Writes the pickle (protocol 2) that {@code torch.save} puts in {@code data.pkl}: an
 * {@code OrderedDict} of name to tensor, or one tensor. Each tensor is the call
 * {@code torch._utils._rebuild_tensor_v2(storage, offset, size, stride, False, OrderedDict())}
 * whose storage is a persistent id {@code ('storage', torch.FloatStorage, key, 'cpu', numel)}
 * that names the zip entry {@code data/<key>}.
 *
 * <p>Written by hand rather than with Pyrolite's {@code Pickler}: Pyrolite 1.5 has no hook for
 * persistent ids (the {@code BINPERSID} opcode PyTorch's storages need), and its custom picklers
 * are registered in JVM-wide static maps, which an embeddable engine must not change. The subset
 * used here is a dozen opcodes; PyTorch's own unpickler reads it (see TorchFileTest).
 */
final class TorchPickleWriter {

    /** One tensor to write: its storage key, the storage class ("FloatStorage") and its shape. */
    record TensorRecord(String key, String storageType, long[] shape) {}

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    private TorchPickleWriter() {
        out.write(0x80); // PROTO
        out.write(2);
    }

    /** The pickle of an OrderedDict of the named tensors, in the order given. */
    static byte[] stateDict(List<String> names, List<TensorRecord> tensors) {
        TorchPickleWriter w = new TorchPickleWriter();
        w.global("collections", "OrderedDict");
        w.op(')'); // EMPTY_TUPLE
        w.op('R'); // REDUCE
        if (!names.isEmpty()) {
            w.op('('); // MARK
            for (int i = 0; i < names.size(); i++) {
                w.string(names.get(i));
                w.putTensor(tensors.get(i));
            }
            w.op('u'); // SETITEMS
        }
        return w.finish();
    }

    /** The pickle of one tensor, as {@code torch.save(X)} writes it. */
    static byte[] tensor(TensorRecord t) {
        TorchPickleWriter w = new TorchPickleWriter();
        w.putTensor(t);
        return w.finish();
    }

    private byte[] finish() {
        op('.'); // STOP
        return out.toByteArray();
    }

    private void putTensor(TensorRecord t) {
        global("torch._utils", "_rebuild_tensor_v2");
        op('('); // MARK: the arguments
        op('('); // MARK: the persistent id
        string("storage");
        global("torch", t.storageType());
        string(t.key());
        string("cpu");
        integer(numel(t.shape()));
        op('t'); // TUPLE
        op('Q'); // BINPERSID
        integer(0); // storage offset
        long[] shape = t.shape();
        long[] stride = new long[shape.length];
        long s = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            stride[i] = s;
            s *= shape[i];
        }
        tuple(shape);
        tuple(stride);
        op(0x89); // NEWFALSE: requires_grad
        global("collections", "OrderedDict"); // backward hooks: an empty OrderedDict
        op(')');
        op('R');
        op('t');
        op('R');
    }

    static long numel(long[] shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }

    private void tuple(long[] values) {
        if (values.length > 3) {
            op('(');
        }
        for (long v : values) {
            integer(v);
        }
        switch (values.length) {
            case 0 -> op(')'); // EMPTY_TUPLE
            case 1 -> op(0x85); // TUPLE1
            case 2 -> op(0x86); // TUPLE2
            case 3 -> op(0x87); // TUPLE3
            default -> op('t');
        }
    }

    private void op(int code) {
        out.write(code);
    }

    private void global(String module, String name) {
        op('c');
        byte[] text = (module + "\n" + name + "\n").getBytes(StandardCharsets.US_ASCII);
        out.write(text, 0, text.length);
    }

    private void string(String s) {
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        op('X'); // BINUNICODE: 4-byte little-endian length, then UTF-8
        le(utf8.length, 4);
        out.write(utf8, 0, utf8.length);
    }

    /** The shortest of Python's int opcodes, as Python's pickler chooses them. */
    void integer(long v) {
        if (v >= 0 && v < 0x100) {
            op('K'); // BININT1
            out.write((int) v);
        } else if (v >= 0 && v < 0x10000) {
            op('M'); // BININT2
            le(v, 2);
        } else if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
            op('J'); // BININT: signed 32-bit
            le(v, 4);
        } else {
            byte[] big = BigInteger.valueOf(v).toByteArray(); // two's complement, big-endian, minimal
            op(0x8a); // LONG1: length byte, then little-endian two's complement
            out.write(big.length);
            for (int i = big.length - 1; i >= 0; i--) {
                out.write(big[i]);
            }
        }
    }

    private void le(long v, int bytes) {
        for (int i = 0; i < bytes; i++) {
            out.write((int) (v >>> (8 * i)) & 0xff);
        }
    }
}
