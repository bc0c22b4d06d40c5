package dev.nndl.network.train;

import dev.nndl.network.Model;
import dev.nndl.shape.Architecture;
import dev.nndl.shape.Layer;
import dev.nndl.spi.BadFileException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A model's weights in the safetensors format (Hugging Face's, read by PyTorch, JAX and others),
 * and back.
 *
 * <p>The file: an 8-byte little-endian header length N, N bytes of JSON,
 * {@code {"__metadata__": {...}, "conv1.weight": {"dtype": "F32", "shape": [20, 1, 5, 5],
 * "data_offsets": [0, 2000]}, ...}}, then the tensors' little-endian bytes, which the offsets
 * (from the end of the header) must cover exactly. The tensors are named and laid out as PyTorch's
 * state dict names and lays out a module whose layers have the model's layer names
 * ({@link Model#architecture}): a convolution's {@code NAME.weight} is
 * {@code [out channels, in channels / groups, kh, kw]} and its {@code NAME.bias} {@code [out]}; a
 * fully connected layer's {@code NAME.weight} is {@code [out, in]}, as {@code nn.Linear}'s (and
 * nndl's own, {@link dev.nndl.shape.FcShape}: no transpose), its input the previous layer's
 * output flattened in C, H, W order, as {@code torch.flatten} gives it; an inception module's
 * six convolutions are {@code NAME.1x1}, {@code NAME.3x3_reduce}, {@code NAME.3x3},
 * {@code NAME.5x5_reduce}, {@code NAME.5x5} and {@code NAME.pool_proj}; a recurrent layer's are
 * {@code nn.LSTM}'s and {@code nn.RNN}'s, {@code NAME.weight_ih_l0} {@code [G*hidden, in]},
 * {@code NAME.weight_hh_l0} {@code [G*hidden, hidden]}, {@code NAME.bias_ih_l0} and
 * {@code NAME.bias_hh_l0} {@code [G*hidden]}, gate rows i, f, g, o: nndl's packed array
 * ({@link dev.nndl.shape.RecurrentShape}) cut in three, no transpose. PyTorch adds two biases where
 * nndl has one: the export writes nndl's as {@code bias_ih_l0} and zeros as {@code bias_hh_l0}, and
 * a file read in gets their sum. The metadata holds the model, its layers and the plan it was
 * trained with, as strings.
 *
 * <p>{@link #read} checks everything before it trusts it, and ends in a one-line
 * {@link BadFileException} naming what is wrong: a header length beyond the file, a header that
 * is not UTF-8 or not strict JSON, a dtype other than F32, offsets out of range, overlapping or
 * leaving bytes uncovered, a shape whose values do not fill its bytes, tensors the model lacks or
 * does not have, shapes that differ from the model's, values that are not finite.
 */
public final class SafeTensors {

    /**
     * The largest header read, 1 MiB: the format allows 100,000,000 bytes, but nndl's models need at most
     * 11 KB (GoogLeNet's 116 tensors and its layers in the metadata), and a parsed header takes many times its text in memory.
     */
    static final long MAX_HEADER = 1 << 20;
    /** Floats converted at a time: 256 KiB. */
    private static final int CHUNK_FLOATS = 1 << 16;
    private static final String METADATA = "__metadata__";
    private static final Set<String> FIELDS = Set.of("dtype", "shape", "data_offsets");

    private SafeTensors() {}

    /** A tensor as the file names and shapes it. */
    public record Tensor(String name, List<Integer> shape) {
        public Tensor {
            shape = List.copyOf(shape);
        }

        /** Its number of values. */
        public long size() {
            long size = 1;
            for (int d : shape) size *= d;
            return size;
        }
    }

    /** The weights a file held, in the order of the model's {@link dev.nndl.network.Network#parameters}, and its metadata. */
    public record Weights(List<float[]> parameters, Map<String, String> metadata) {}

    /** The tensors of {@code model}'s parameters, in the order of its network's parameters. */
    public static List<Tensor> layout(Model model) {
        return slots(model).stream().map(Slot::tensor).toList();
    }

    /**
     * Where a tensor's values live in the network: parameter array {@code parameter} from
     * {@code offset}. An {@code added} tensor is one PyTorch splits off where nndl has none (an
     * LSTM's second bias): it shares its values' place with the tensor before it, is written as
     * zeros, and is read as added to that tensor.
     */
    record Slot(Tensor tensor, int parameter, int offset, boolean added) {}

    /** The tensors of {@code model}, in the order of its network's parameters, and where each one's values live. */
    static List<Slot> slots(Model model) {
        List<Slot> slots = new ArrayList<>();
        for (Architecture.Row row : model.architecture().table()) {
            int c = row.in().c();
            switch (row.layer()) {
                case Layer.Conv conv -> conv(slots, conv.name(), conv.filters(), c / conv.groups(), conv.k());
                case Layer.FullyConnected fc -> {
                    whole(slots, fc.name() + ".weight", fc.out(), Math.toIntExact(row.in().size()));
                    whole(slots, fc.name() + ".bias", fc.out());
                }
                case Layer.Inception i -> {
                    conv(slots, i.name() + ".1x1", i.n1x1(), c, 1);
                    conv(slots, i.name() + ".3x3_reduce", i.n3x3reduce(), c, 1);
                    conv(slots, i.name() + ".3x3", i.n3x3(), i.n3x3reduce(), 3);
                    conv(slots, i.name() + ".5x5_reduce", i.n5x5reduce(), c, 1);
                    conv(slots, i.name() + ".5x5", i.n5x5(), i.n5x5reduce(), 5);
                    conv(slots, i.name() + ".pool_proj", i.poolProj(), c, 1);
                }
                case Layer.Recurrent r -> {
                    // w = [Wx (G*hidden x in), Wh (G*hidden x hidden), b (G*hidden)], one parameter array
                    int p = slots.isEmpty() ? 0 : slots.getLast().parameter() + 1, rows = r.cell().gates() * r.hidden(), in = row.in().w();
                    slots.add(new Slot(new Tensor(r.name() + ".weight_ih_l0", List.of(rows, in)), p, 0, false));
                    slots.add(new Slot(new Tensor(r.name() + ".weight_hh_l0", List.of(rows, r.hidden())), p, rows * in, false));
                    slots.add(new Slot(new Tensor(r.name() + ".bias_ih_l0", List.of(rows)), p, rows * (in + r.hidden()), false));
                    slots.add(new Slot(new Tensor(r.name() + ".bias_hh_l0", List.of(rows)), p, rows * (in + r.hidden()), true));
                }
                case Layer.Pool p -> {}
                case Layer.Lrn l -> {}
                case Layer.Dropout d -> {}
            }
        }
        return slots;
    }

    private static void conv(List<Slot> slots, String name, int out, int in, int k) {
        whole(slots, name + ".weight", out, in, k, k);
        whole(slots, name + ".bias", out);
    }

    /** A tensor that is a parameter array of its own. */
    private static void whole(List<Slot> slots, String name, Integer... shape) {
        slots.add(new Slot(new Tensor(name, List.of(shape)), slots.isEmpty() ? 0 : slots.getLast().parameter() + 1, 0, false));
    }

    /** The length of each parameter array the slots fill. */
    private static int[] lengths(List<Slot> slots) {
        int[] lengths = new int[slots.isEmpty() ? 0 : slots.getLast().parameter() + 1];
        for (Slot slot : slots) lengths[slot.parameter()] = Math.max(lengths[slot.parameter()], Math.toIntExact(slot.offset() + slot.tensor().size()));
        return lengths;
    }

    /**
     * What a file exported from {@code checkpoint} says about it: {@code format: pt} (as
     * {@code safetensors.torch} writes), the model, its layers and input, the plan, the epochs
     * trained and the last one's accuracies, the backend.
     */
    public static Map<String, String> metadata(Checkpoint checkpoint) {
        Plan plan = checkpoint.plan();
        Architecture architecture = plan.model().architecture();
        Map<String, String> m = new LinkedHashMap<>();
        m.put("format", "pt");
        m.put("model", plan.model().id());
        m.put("description", plan.model().change());
        m.put("input", architecture.input().toString());
        m.put("architecture", architecture.table().stream().map(r -> r.layer().name() + ": " + r.layer().describe()).collect(Collectors.joining("; ")));
        m.put("epochs", String.valueOf(plan.epochs()));
        m.put("batch", String.valueOf(plan.batch()));
        m.put("eta", String.valueOf(plan.eta()));
        m.put("lambda", String.valueOf(plan.lambda()));
        m.put("momentum", String.valueOf(plan.momentum()));
        m.put("seed", String.valueOf(plan.seed()));
        m.put("schedule", plan.schedule().spec());
        m.put("epochs_trained", String.valueOf(checkpoint.epochs()));
        if (!checkpoint.history().isEmpty()) {
            Epoch last = checkpoint.history().getLast();
            m.put("validation_accuracy", String.format(Locale.ROOT, "%.2f", last.validationAccuracy()));
            m.put("test_accuracy", String.format(Locale.ROOT, "%.2f", last.testAccuracy()));
        }
        m.put("backend", checkpoint.backend());
        return m;
    }

    /**
     * Writes {@code checkpoint}'s weights (not its velocities) to {@code file} with
     * {@code metadata}, through a temporary file and an atomic rename; {@code from} names the
     * checkpoint in errors (one whose arrays do not fit its model is refused).
     */
    public static void write(Path file, Checkpoint checkpoint, Path from, Map<String, String> metadata) throws IOException {
        Model model = checkpoint.plan().model();
        List<Slot> slots = slots(model);
        int[] lengths = lengths(slots);
        List<float[]> parameters = checkpoint.parameters();
        if (parameters.size() != lengths.length) {
            throw new Checkpoint.CorruptCheckpointException(from, "holds " + parameters.size() + " parameter arrays where " + model.id() + " has " + lengths.length);
        }
        for (Slot slot : slots) {
            if (parameters.get(slot.parameter()).length != lengths[slot.parameter()]) {
                throw new Checkpoint.CorruptCheckpointException(from, "holds " + parameters.get(slot.parameter()).length + " values for " + slot.tensor().name()
                        + " where " + model.id() + " has " + lengths[slot.parameter()]);
            }
        }
        writeSlots(file, slots, parameters, metadata);
    }

    /**
     * Writes {@code values} as the tensors {@code layout} names and shapes, one array each, with
     * {@code metadata}, through a temporary file and an atomic rename.
     */
    public static void write(Path file, List<Tensor> layout, List<float[]> values, Map<String, String> metadata) throws IOException {
        if (values.size() != layout.size()) throw new IllegalArgumentException(values.size() + " arrays for " + layout.size() + " tensors");
        for (int i = 0; i < layout.size(); i++) {
            Tensor t = layout.get(i);
            if (values.get(i).length != t.size()) throw new IllegalArgumentException(values.get(i).length + " values for " + t.name() + " of " + t.size());
        }
        writeSlots(file, wholeArrays(layout), values, metadata);
    }

    /** Each tensor of {@code layout} a parameter array of its own. */
    private static List<Slot> wholeArrays(List<Tensor> layout) {
        List<Slot> slots = new ArrayList<>();
        for (int i = 0; i < layout.size(); i++) slots.add(new Slot(layout.get(i), i, 0, false));
        return slots;
    }

    private static void writeSlots(Path file, List<Slot> slots, List<float[]> parameters, Map<String, String> metadata) throws IOException {
        StringBuilder header = new StringBuilder("{").append(Json.quote(METADATA)).append(":{");
        header.append(metadata.entrySet().stream().map(e -> Json.quote(e.getKey()) + ":" + Json.quote(e.getValue())).collect(Collectors.joining(",")));
        header.append('}');
        long offset = 0;
        for (Slot slot : slots) {
            Tensor t = slot.tensor();
            header.append(',').append(Json.quote(t.name())).append(":{\"dtype\":\"F32\",\"shape\":")
                    .append(t.shape().stream().map(String::valueOf).collect(Collectors.joining(",", "[", "]")))
                    .append(",\"data_offsets\":[").append(offset).append(',').append(offset + 4 * t.size()).append("]}");
            offset += 4 * t.size();
        }
        header.append('}');
        // spaces to a multiple of 8, as safetensors' own writer pads, so that the data starts aligned
        while (header.toString().getBytes(StandardCharsets.UTF_8).length % 8 != 0) header.append(' ');
        byte[] json = header.toString().getBytes(StandardCharsets.UTF_8);
        RunFiles.writeAtomically(file, out -> {
            out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(json.length).array());
            out.write(json);
            ByteBuffer chunk = ByteBuffer.allocate(4 * CHUNK_FLOATS).order(ByteOrder.LITTLE_ENDIAN);
            for (Slot slot : slots) {
                float[] a = slot.added() ? new float[(int) slot.tensor().size()] : parameters.get(slot.parameter());
                write(out, a, slot.added() ? 0 : slot.offset(), (int) slot.tensor().size(), chunk);
            }
        });
    }

    /** {@code a[offset .. offset + length - 1]}, little-endian. */
    private static void write(OutputStream out, float[] a, int offset, int length, ByteBuffer chunk) throws IOException {
        FloatBuffer floats = chunk.clear().asFloatBuffer();
        for (int from = offset; from < offset + length; from += floats.capacity()) {
            int n = Math.min(floats.capacity(), offset + length - from);
            floats.clear();
            floats.put(a, from, n);
            out.write(chunk.array(), 0, 4 * n);
        }
    }

    /** A tensor's entry in the header: its dtype checked, its shape, and its bytes from the start of the data. */
    private record Entry(String name, List<Integer> shape, long begin, long end) {}

    /**
     * Reads the weights of {@code model} from a safetensors file, checking all of it first: see
     * the class comment. Memory: the arrays it returns, the header, and a 256 KiB buffer.
     */
    public static Weights read(Path file, Model model) throws IOException {
        return readSlots(file, slots(model), model.id());
    }

    /**
     * Reads the tensors {@code layout} names, each of its shape, and no others, checked as
     * {@link #read(Path, Model)} checks a model's; {@code owner} (a model's id) names what needs
     * them in messages.
     */
    public static Weights read(Path file, List<Tensor> layout, String owner) throws IOException {
        return readSlots(file, wholeArrays(layout), owner);
    }

    private static Weights readSlots(Path file, List<Slot> slots, String owner) throws IOException {
        if (!Files.isRegularFile(file)) throw new BadFileException(file, "is not a regular file (a device, a pipe or a folder); give a .safetensors file");
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size < 8) throw new BadFileException(file, "is " + size + " bytes, too short for a safetensors file's 8-byte header length");
            long n = read(file, channel, 0, 8).getLong();
            if (n < 0 || n > size - 8) {
                throw new BadFileException(file, "declares a header of " + Long.toUnsignedString(n) + " bytes, beyond the " + (size - 8)
                        + " bytes after its length: not a safetensors file, or cut short");
            }
            if (n > MAX_HEADER) {
                throw new BadFileException(file, "declares a header of " + n + " bytes; nndl reads headers of up to " + MAX_HEADER
                        + " (its models' take a few thousand)");
            }
            String text;
            try {
                text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(read(file, channel, 8, (int) n)).toString();
            } catch (CharacterCodingException e) {
                throw new BadFileException(file, "has a header that is not UTF-8 text: not a safetensors file");
            }
            Object json;
            try {
                json = Json.parse(text);
            } catch (Json.SyntaxException e) {
                throw new BadFileException(file, "has a header that is not JSON: " + e.getMessage());
            }
            if (!(json instanceof Map<?, ?> header)) throw new BadFileException(file, "has a header that is not a JSON object");
            long data = size - 8 - n;
            Map<String, String> metadata = new LinkedHashMap<>();
            Map<String, Entry> entries = new LinkedHashMap<>();
            for (var member : header.entrySet()) {
                String name = (String) member.getKey();
                if (name.equals(METADATA)) metadata = metadata(file, member.getValue());
                else entries.put(name, entry(file, name, member.getValue(), data));
            }
            covered(file, entries.values(), data);
            List<Tensor> layout = slots.stream().map(Slot::tensor).toList();
            List<float[]> parameters = new ArrayList<>();
            for (Tensor t : layout) {
                Entry e = entries.get(t.name());
                if (e == null) throw new BadFileException(file, "has no tensor " + t.name() + " " + t.shape() + ", which " + owner + " needs");
                if (!e.shape().equals(t.shape())) {
                    throw new BadFileException(file, "holds " + t.name() + " of shape " + e.shape() + " where " + owner + "'s is " + t.shape());
                }
            }
            Set<String> names = layout.stream().map(Tensor::name).collect(Collectors.toSet());
            for (String name : entries.keySet()) {
                if (!names.contains(name)) {
                    throw new BadFileException(file, "holds tensor " + shortened(name) + ", which " + owner + " has no place for (it has "
                            + layout.size() + ": " + layout.getFirst().name() + (layout.size() > 1 ? " ... " + layout.getLast().name() : "") + ")");
                }
            }
            ByteBuffer chunk = ByteBuffer.allocate(4 * CHUNK_FLOATS);
            int[] lengths = lengths(slots);
            float[][] arrays = new float[lengths.length][];
            for (Slot slot : slots) {
                float[] values = values(file, channel, entries.get(slot.tensor().name()), 8 + n, chunk);
                int p = slot.parameter();
                if (!slot.added() && values.length == lengths[p]) {
                    arrays[p] = values;  // a tensor that is the whole parameter array, as most are: no copy
                    continue;
                }
                if (arrays[p] == null) arrays[p] = new float[lengths[p]];
                if (!slot.added()) {
                    System.arraycopy(values, 0, arrays[p], slot.offset(), values.length);
                    continue;
                }
                for (int i = 0; i < values.length; i++) {
                    if (values[i] == 0) continue;  // nndl's own exports: bias_ih as it was, -0 included
                    float sum = arrays[p][slot.offset() + i] += values[i];
                    if (!Float.isFinite(sum)) {
                        throw new BadFileException(file, "holds biases whose sum is " + sum + " at " + i + " of " + shortened(slot.tensor().name())
                                + " (nndl adds PyTorch's two biases into its one)");
                    }
                }
            }
            parameters.addAll(List.of(arrays));
            return new Weights(parameters, metadata);
        }
    }

    private static Map<String, String> metadata(Path file, Object value) throws BadFileException {
        if (!(value instanceof Map<?, ?> map)) throw new BadFileException(file, "has " + METADATA + " that is not an object");
        Map<String, String> metadata = new LinkedHashMap<>();
        for (var e : map.entrySet()) {
            if (!(e.getValue() instanceof String s)) {
                throw new BadFileException(file, "has " + METADATA + " whose " + shortened((String) e.getKey()) + " is not a string");
            }
            metadata.put((String) e.getKey(), s);
        }
        return metadata;
    }

    private static Entry entry(Path file, String name, Object value, long data) throws BadFileException {
        String tensor = "tensor " + shortened(name);
        if (!(value instanceof Map<?, ?> fields)) throw new BadFileException(file, "has " + tensor + " that is not an object of dtype, shape and data_offsets");
        for (String field : FIELDS) if (!fields.containsKey(field)) throw new BadFileException(file, "has " + tensor + " without " + field);
        for (Object field : fields.keySet()) {
            if (!FIELDS.contains(field)) throw new BadFileException(file, "has " + tensor + " with a field " + shortened((String) field) + " besides dtype, shape and data_offsets");
        }
        if (!"F32".equals(fields.get("dtype"))) {
            String dtype = fields.get("dtype") instanceof String s ? shortened(s) : "that is not a string";
            throw new BadFileException(file, "has " + tensor + " of dtype " + dtype + "; nndl reads F32 only (in PyTorch, save tensor.float())");
        }
        List<Long> shape = naturals(fields.get("shape"));
        List<Long> offsets = naturals(fields.get("data_offsets"));
        if (shape == null || shape.size() > 8) throw new BadFileException(file, "has " + tensor + " whose shape is not a list of up to 8 sizes");
        if (offsets == null || offsets.size() != 2) throw new BadFileException(file, "has " + tensor + " whose data_offsets are not [begin, end]");
        long begin = offsets.get(0), end = offsets.get(1);
        if (begin > end || end > data) {
            throw new BadFileException(file, "has " + tensor + " at data_offsets [" + begin + ", " + end + "], outside the " + data + " bytes of data");
        }
        List<Integer> sizes = new ArrayList<>();
        long values = shape.contains(0L) ? 0 : 1;
        for (long d : shape) {
            if (d > Integer.MAX_VALUE) throw new BadFileException(file, "has " + tensor + " with a dimension of " + d);
            sizes.add((int) d);
            values = values > Long.MAX_VALUE / 4 / Math.max(d, 1) ? Long.MAX_VALUE / 4 : values * d; // held below 2^61: never overflows
        }
        if (4 * values != end - begin) {
            throw new BadFileException(file, "has " + tensor + " of shape " + sizes + ", " + (values == Long.MAX_VALUE / 4 ? "more than 2^61" : values)
                    + " F32 values, at data_offsets [" + begin + ", " + end + "], which hold " + (end - begin) + " bytes");
        }
        return new Entry(name, sizes, begin, end);
    }

    /** {@code value} as a list of integers of 0 or more, or null if it is not one. */
    private static List<Long> naturals(Object value) {
        if (!(value instanceof List<?> list)) return null;
        List<Long> naturals = new ArrayList<>();
        for (Object o : list) {
            if (!(o instanceof Long l) || l < 0) return null;
            naturals.add(l);
        }
        return naturals;
    }

    /** The entries' bytes must tile the data: no overlap, no gap, nothing after. */
    private static void covered(Path file, java.util.Collection<Entry> entries, long data) throws BadFileException {
        List<Entry> sorted = entries.stream().sorted(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end)).toList();
        long reached = 0;
        Entry previous = null;
        for (Entry e : sorted) {
            if (e.begin() < reached) {
                throw new BadFileException(file, "has tensors " + shortened(previous.name()) + " and " + shortened(e.name()) + " whose bytes overlap (["
                        + previous.begin() + ", " + previous.end() + "] and [" + e.begin() + ", " + e.end() + "])");
            }
            if (e.begin() > reached) throw new BadFileException(file, "has bytes " + reached + " to " + e.begin() + " of its data in no tensor");
            reached = e.end();
            previous = e;
        }
        if (reached != data) throw new BadFileException(file, "has bytes " + reached + " to " + data + " of its data in no tensor");
    }

    private static float[] values(Path file, FileChannel channel, Entry e, long dataStart, ByteBuffer chunk) throws IOException {
        float[] a = new float[Math.toIntExact((e.end() - e.begin()) / 4)];
        // a view of the whole chunk: one taken after a read would see only what is left of it
        FloatBuffer floats = chunk.clear().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
        for (int from = 0; from < a.length; from += floats.capacity()) {
            int n = Math.min(floats.capacity(), a.length - from);
            chunk.clear().limit(4 * n);
            fill(file, channel, chunk, dataStart + e.begin() + 4L * from);
            floats.clear();
            floats.get(a, from, n);
            for (int i = from; i < from + n; i++) {
                if (!Float.isFinite(a[i])) throw new BadFileException(file, "holds " + a[i] + " in " + shortened(e.name()) + " at " + i);
            }
        }
        return a;
    }

    /** {@code length} bytes at {@code position}, little-endian. */
    private static ByteBuffer read(Path file, FileChannel channel, long position, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        fill(file, channel, buffer, position);
        return buffer.flip();
    }

    private static void fill(Path file, FileChannel channel, ByteBuffer buffer, long position) throws IOException {
        for (long at = position; buffer.hasRemaining(); ) {
            int n = channel.read(buffer, at);
            if (n < 0) throw new BadFileException(file, "became shorter while it was read (another program is writing it?)");
            at += n;
        }
    }

    /** A name from the file, quoted and cut to 60 characters: a message stays short whatever the file holds. */
    private static String shortened(String name) {
        return "'" + (name.length() > 60 ? name.substring(0, 60) + "..." : name) + "'";
    }
}
