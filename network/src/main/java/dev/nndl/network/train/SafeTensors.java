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
 * {@code NAME.5x5_reduce}, {@code NAME.5x5} and {@code NAME.pool_proj}. The metadata holds the
 * model, its layers and the plan it was trained with, as strings.
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
        List<Tensor> tensors = new ArrayList<>();
        for (Architecture.Row row : model.architecture().table()) {
            int c = row.in().c();
            switch (row.layer()) {
                case Layer.Conv conv -> conv(tensors, conv.name(), conv.filters(), c / conv.groups(), conv.k());
                case Layer.FullyConnected fc -> {
                    tensors.add(new Tensor(fc.name() + ".weight", List.of(fc.out(), Math.toIntExact(row.in().size()))));
                    tensors.add(new Tensor(fc.name() + ".bias", List.of(fc.out())));
                }
                case Layer.Inception i -> {
                    conv(tensors, i.name() + ".1x1", i.n1x1(), c, 1);
                    conv(tensors, i.name() + ".3x3_reduce", i.n3x3reduce(), c, 1);
                    conv(tensors, i.name() + ".3x3", i.n3x3(), i.n3x3reduce(), 3);
                    conv(tensors, i.name() + ".5x5_reduce", i.n5x5reduce(), c, 1);
                    conv(tensors, i.name() + ".5x5", i.n5x5(), i.n5x5reduce(), 5);
                    conv(tensors, i.name() + ".pool_proj", i.poolProj(), c, 1);
                }
                case Layer.Pool p -> {}
                case Layer.Lrn l -> {}
                case Layer.Dropout d -> {}
            }
        }
        return tensors;
    }

    private static void conv(List<Tensor> tensors, String name, int out, int in, int k) {
        tensors.add(new Tensor(name + ".weight", List.of(out, in, k, k)));
        tensors.add(new Tensor(name + ".bias", List.of(out)));
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
        List<Tensor> layout = layout(model);
        List<float[]> parameters = checkpoint.parameters();
        if (parameters.size() != layout.size()) {
            throw new Checkpoint.CorruptCheckpointException(from, "holds " + parameters.size() + " parameter arrays where " + model.id() + " has " + layout.size());
        }
        for (int i = 0; i < layout.size(); i++) {
            Tensor t = layout.get(i);
            if (parameters.get(i).length != t.size()) {
                throw new Checkpoint.CorruptCheckpointException(from, "holds " + parameters.get(i).length + " values for " + t.name() + " where "
                        + model.id() + " has " + t.size());
            }
        }
        write(file, layout, parameters, metadata);
    }

    /**
     * Writes {@code values} as the tensors {@code layout} names and shapes, one array each, with
     * {@code metadata}, through a temporary file and an atomic rename.
     */
    public static void write(Path file, List<Tensor> layout, List<float[]> values, Map<String, String> metadata) throws IOException {
        if (values.size() != layout.size()) throw new IllegalArgumentException(values.size() + " arrays for " + layout.size() + " tensors");
        StringBuilder header = new StringBuilder("{").append(Json.quote(METADATA)).append(":{");
        header.append(metadata.entrySet().stream().map(e -> Json.quote(e.getKey()) + ":" + Json.quote(e.getValue())).collect(Collectors.joining(",")));
        header.append('}');
        long offset = 0;
        for (int i = 0; i < layout.size(); i++) {
            Tensor t = layout.get(i);
            if (values.get(i).length != t.size()) throw new IllegalArgumentException(values.get(i).length + " values for " + t.name() + " of " + t.size());
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
            for (float[] a : values) write(out, a, chunk);
        });
    }

    private static void write(OutputStream out, float[] a, ByteBuffer chunk) throws IOException {
        FloatBuffer floats = chunk.clear().asFloatBuffer();
        for (int from = 0; from < a.length; from += floats.capacity()) {
            int n = Math.min(floats.capacity(), a.length - from);
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
        return read(file, layout(model), model.id());
    }

    /**
     * Reads the tensors {@code layout} names, each of its shape, and no others, checked as
     * {@link #read(Path, Model)} checks a model's; {@code owner} (a model's id) names what needs
     * them in messages.
     */
    public static Weights read(Path file, List<Tensor> layout, String owner) throws IOException {
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
            for (Tensor t : layout) parameters.add(values(file, channel, entries.get(t.name()), 8 + n, chunk));
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
