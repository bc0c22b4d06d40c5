package dev.nndl.network.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nndl.network.AlexNet;
import dev.nndl.network.GoogLeNet;
import dev.nndl.network.Model;
import dev.nndl.network.Network;
import dev.nndl.network.Networks;
import dev.nndl.network.Rung;
import dev.nndl.network.train.SafeTensors.Tensor;
import dev.nndl.reference.ReferenceKernels;
import dev.nndl.shape.Architecture;
import dev.nndl.spi.BadFileException;
import dev.nndl.spi.KernelSet;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Weights out to safetensors and back, bit for bit, in PyTorch's layouts; and every way a file can be wrong, named in one line. */
class SafeTensorsTest {

    @TempDir
    Path dir;

    /** A model of the layers {@code nndl shapes --input INPUT LAYERS...} describes, named v0 so that a checkpoint can name it. */
    record Tiny(String input, List<String> layers) implements Model {
        @Override public String id() { return "v0"; }
        @Override public String change() { return "a test model"; }
        @Override public float eta() { return 0.1f; }
        @Override public float lambda() { return 0; }
        @Override public int epochs() { return 1; }
        @Override public boolean expanded() { return false; }
        @Override public double publishedAccuracy() { return Double.NaN; }
        @Override public String publishedBy() { return ""; }
        @Override public Architecture architecture() {
            return Architecture.parse(input, layers);
        }
        @Override public Network build(KernelSet k, int batch, long seed) {
            return Networks.of(architecture(), k, batch, seed);
        }
    }

    /** Small enough to write by hand: conv1 [2, 1, 3, 3], fc3 [3, 2], softmax4 [2, 3], and their biases (37 values). */
    static final Model TINY = new Tiny("1x4x4", List.of("conv:2:3:relu", "pool:2", "fc:3:relu", "softmax:2"));

    /** The weights of {@code model}'s network from {@code seed}, as a checkpoint of {@code plan}. */
    static Checkpoint weights(Model model, Plan plan, long seed) {
        try (KernelSet k = new ReferenceKernels()) {
            return Checkpoint.of(plan, "reference", model.build(k, 1, seed), List.of(new Epoch(1, 0.5, 91.25, 90.5, 1000, 1, 0.1)));
        }
    }

    /** {@link #TINY}'s weights, numbered 0, 1, 2, ... times 0.25 minus 2 in the order of its tensors, as {@code tiny-python.safetensors} holds them. */
    static List<float[]> numbered() {
        List<float[]> arrays = new ArrayList<>();
        int g = 0;
        for (Tensor t : SafeTensors.layout(TINY)) {
            float[] a = new float[(int) t.size()];
            for (int i = 0; i < a.length; i++) a[i] = g++ * 0.25f - 2;
            arrays.add(a);
        }
        return arrays;
    }

    @Test
    void everyModelsTensorsAreItsNetworksParametersInOrder() {
        List<Model> models = new ArrayList<>(Model.all());
        models.add(TINY);
        models.add(new Tiny("2x6x6", List.of("conv:4:3:g2:p1:relu", "lrn:3", "inception:1:2:3:1:2:1", "avgpool:2", "dropout", "fc:5:tanh", "softmax:3")));
        try (KernelSet k = new ReferenceKernels()) {
            for (Model m : models) {
                List<Tensor> layout = SafeTensors.layout(m);
                var params = m.build(k, 1, 1).parameters();
                assertEquals(params.size(), layout.size(), m.id());
                for (int i = 0; i < layout.size(); i++) assertEquals(params.get(i).value().length, layout.get(i).size(), m.id() + " " + layout.get(i));
                assertEquals(m.architecture().totalParams(), layout.stream().mapToLong(Tensor::size).sum(), m.id());
            }
        }
        assertEquals("[conv1.weight [4, 1, 3, 3], conv1.bias [4], inception3.1x1.weight [1, 4, 1, 1], inception3.1x1.bias [1], "
                + "inception3.3x3_reduce.weight [2, 4, 1, 1], inception3.3x3_reduce.bias [2], inception3.3x3.weight [3, 2, 3, 3], inception3.3x3.bias [3], "
                + "inception3.5x5_reduce.weight [1, 4, 1, 1], inception3.5x5_reduce.bias [1], inception3.5x5.weight [2, 1, 5, 5], inception3.5x5.bias [2], "
                + "inception3.pool_proj.weight [1, 4, 1, 1], inception3.pool_proj.bias [1], fc6.weight [5, 63], fc6.bias [5], softmax7.weight [3, 5], softmax7.bias [3]]",
                describe(SafeTensors.layout(models.getLast())));
    }

    private static String describe(List<Tensor> layout) {
        return layout.stream().map(t -> t.name() + " " + t.shape()).toList().toString();
    }

    @Test
    void alexNetsTensorsHaveTorchvisionsShapesWithThePapersGroups() {
        assertEquals("[conv1.weight [96, 3, 11, 11], conv1.bias [96], conv2.weight [256, 48, 5, 5], conv2.bias [256], conv3.weight [384, 256, 3, 3], "
                + "conv3.bias [384], conv4.weight [384, 192, 3, 3], conv4.bias [384], conv5.weight [256, 192, 3, 3], conv5.bias [256], "
                + "fc6.weight [4096, 9216], fc6.bias [4096], fc7.weight [4096, 4096], fc7.bias [4096], fc8.weight [10, 4096], fc8.bias [10]]",
                describe(SafeTensors.layout(new AlexNet(10))));
        assertEquals("[conv1.weight [20, 1, 5, 5], conv1.bias [20], conv2.weight [40, 20, 5, 5], conv2.bias [40], fc1.weight [100, 640], fc1.bias [100], "
                + "softmax.weight [10, 100], softmax.bias [10]]", describe(SafeTensors.layout(Rung.V3)));
    }

    /**
     * GoogLeNet's tensors in Table 1's order, named after its rows, an inception module's six
     * convolutions OIHW as nn.Conv2d's, the linear layer [classes, channels] as nn.Linear's.
     */
    @Test
    void googLeNetsTensorsAreItsTablesRowsInPyTorchsLayouts() {
        GoogLeNet model = new GoogLeNet(10, 0.25f, 96);
        List<Tensor> layout = SafeTensors.layout(model);
        assertEquals(2 * (3 + 9 * 6 + 1), layout.size());
        assertEquals("[conv1.weight [16, 3, 7, 7], conv1.bias [16], conv2-reduce.weight [16, 16, 1, 1], conv2-reduce.bias [16], "
                + "conv2.weight [48, 16, 3, 3], conv2.bias [48], 3a.1x1.weight [16, 48, 1, 1], 3a.1x1.bias [16], 3a.3x3_reduce.weight [24, 48, 1, 1], "
                + "3a.3x3_reduce.bias [24], 3a.3x3.weight [32, 24, 3, 3], 3a.3x3.bias [32], 3a.5x5_reduce.weight [4, 48, 1, 1], 3a.5x5_reduce.bias [4], "
                + "3a.5x5.weight [8, 4, 5, 5], 3a.5x5.bias [8], 3a.pool_proj.weight [8, 48, 1, 1], 3a.pool_proj.bias [8]]",
                describe(layout.subList(0, 18)));
        assertEquals("[3b.1x1.weight [32, 64, 1, 1]]", describe(layout.subList(18, 19)), "3b reads 3a's 16 + 32 + 8 + 8 channels");
        assertEquals("[linear.weight [10, 256], linear.bias [10]]", describe(layout.subList(layout.size() - 2, layout.size())));
        assertEquals(model.architecture().totalParams(), layout.stream().mapToLong(Tensor::size).sum());
    }

    /** A small GoogLeNet through a checkpoint (which names it by id) and a safetensors file, bit for bit. */
    @Test
    void googLeNetRoundTripsThroughACheckpointAndSafetensors() throws IOException {
        GoogLeNet model = new GoogLeNet(3, 0.125f, 64);
        Checkpoint c = weights(model, Plan.of(model, 2), 2);
        c.write(dir.resolve("best.nndl"));
        Checkpoint back = Checkpoint.read(dir.resolve("best.nndl"));
        assertEquals(model, back.plan().model());
        assertEquals("googlenet-3-w0.125-i64", back.plan().model().id());
        assertEquals(new Schedule.StepDecay(0.96f, 8), back.plan().schedule());
        Path file = dir.resolve("googlenet.safetensors");
        SafeTensors.write(file, back, dir.resolve("best.nndl"), SafeTensors.metadata(back));
        SafeTensors.Weights w = SafeTensors.read(file, model);
        assertEquals(c.parameters().size(), w.parameters().size());
        for (int i = 0; i < c.parameters().size(); i++) assertArrayEquals(c.parameters().get(i), w.parameters().get(i), "array " + i);
        assertEquals("googlenet-3-w0.125-i64", w.metadata().get("model"));
        assertEquals("3x64x64", w.metadata().get("input"));
        assertTrue(w.metadata().get("architecture").endsWith("pool5: avg-pool 2x2 s1; drop: dropout p=0.4; linear: fc 3 softmax"), w.metadata().get("architecture"));
        var e = assertThrows(BadFileException.class, () -> SafeTensors.read(file, new GoogLeNet(3, 0.25f, 64)));
        assertTrue(e.getMessage().contains("holds conv1.weight of shape [8, 3, 7, 7] where googlenet-3-w0.25-i64's is [16, 3, 7, 7]"), e.getMessage());
    }

    /**
     * An LSTM of one unit over 2 symbols, by hand: nndl's packed array {@code w = [Wx (4x2), Wh
     * (4x1), b (4)]} is {@code nn.LSTM}'s {@code weight_ih_l0}, {@code weight_hh_l0} and
     * {@code bias_ih_l0} in that order, rows i, f, g, o, and {@code bias_hh_l0} is zeros; read back,
     * bit for bit ({@code -0} included).
     */
    @Test
    void anLstmIsLaidOutAsNnLstmAndRoundTripsBitForBit() throws IOException {
        Model lstm = Model.of("lstm-h1-t3-s2");
        assertEquals("[lstm.weight_ih_l0 [4, 2], lstm.weight_hh_l0 [4, 1], lstm.bias_ih_l0 [4], lstm.bias_hh_l0 [4], fc.weight [2, 1], fc.bias [2]]",
                describe(SafeTensors.layout(lstm)));
        assertEquals("[rnn.weight_ih_l0 [2, 5], rnn.weight_hh_l0 [2, 2], rnn.bias_ih_l0 [2], rnn.bias_hh_l0 [2], fc.weight [5, 2], fc.bias [5]]",
                describe(SafeTensors.layout(Model.of("rnn-h2-s5"))));
        float[] w = new float[16];
        for (int e = 0; e < w.length; e++) w[e] = e;
        w[12] = -0f;
        Checkpoint c = new Checkpoint(new Plan(lstm, 1, 10, 0.1f, 0, 1), "cpu", 0, List.of(), List.of(w, new float[] {16, 17}, new float[] {18, 19}), List.of());
        Path file = dir.resolve("lstm.safetensors");
        write(file, c);
        String header = header(file);
        assertTrue(header.contains("\"lstm.weight_ih_l0\":{\"dtype\":\"F32\",\"shape\":[4,2],\"data_offsets\":[0,32]},"
                + "\"lstm.weight_hh_l0\":{\"dtype\":\"F32\",\"shape\":[4,1],\"data_offsets\":[32,48]},"
                + "\"lstm.bias_ih_l0\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[48,64]},"
                + "\"lstm.bias_hh_l0\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[64,80]},"
                + "\"fc.weight\":{\"dtype\":\"F32\",\"shape\":[2,1],\"data_offsets\":[80,88]}"), header);
        float[] expected = {0, 1, 2, 3, 4, 5, 6, 7, /* hh */ 8, 9, 10, 11, /* bias_ih */ -0f, 13, 14, 15, /* bias_hh */ 0, 0, 0, 0, /* fc */ 16, 17, 18, 19};
        assertArrayEquals(expected, data(file, expected.length));
        SafeTensors.Weights read = SafeTensors.read(file, lstm);
        assertEquals(3, read.parameters().size());
        for (int i = 0; i < 3; i++) assertArrayEquals(c.parameters().get(i), read.parameters().get(i), "parameter array " + i);
    }

    /** PyTorch trains two biases where nndl has one: a file whose {@code bias_hh_l0} is not zero reads as their sum. */
    @Test
    void pyTorchsTwoBiasesReadAsTheirSum() throws IOException {
        Model lstm = Model.of("lstm-h1-t3-s2");
        float[] w = new float[16];
        for (int e = 0; e < w.length; e++) w[e] = e;
        Path file = dir.resolve("lstm.safetensors");
        write(file, new Checkpoint(new Plan(lstm, 1, 10, 0.1f, 0, 1), "cpu", 0, List.of(), List.of(w, new float[2], new float[2]), List.of()));
        byte[] bytes = Files.readAllBytes(file);
        ByteBuffer data = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int start = 8 + (int) data.getLong(0);
        for (int j = 0; j < 4; j++) data.putFloat(start + 64 + 4 * j, 0.25f * (j + 1));
        Files.write(file, bytes);
        float[] read = SafeTensors.read(file, lstm).parameters().getFirst();
        assertArrayEquals(new float[] {12.25f, 13.5f, 14.75f, 16}, java.util.Arrays.copyOfRange(read, 12, 16));
        assertArrayEquals(java.util.Arrays.copyOf(w, 12), java.util.Arrays.copyOf(read, 12), "the weights as they were");
    }

    /**
     * What PyTorch computes from the exported tensors is what nndl computes: {@code nn.LSTM}'s
     * equations written out here over {@code weight_ih_l0}, {@code weight_hh_l0} and both biases,
     * then {@code nn.Linear} and softmax, on one sequence of an exported two-unit LSTM.
     */
    @Test
    void nnLstmsEquationsOverTheExportedTensorsGiveNndlsOutput() throws Exception {
        var model = (dev.nndl.network.recurrent.RecurrentModel) Model.of("lstm-h2-t4-s3");
        try (KernelSet k = new ReferenceKernels()) {
            Network network = model.build(k, 1, 3);
            for (var p : network.parameters()) for (int e = 0; e < p.value().length; e++) p.value()[e] = (float) Math.sin(1.7 * e + p.value().length);
            Checkpoint c = Checkpoint.of(new Plan(model, 1, 1, 0.1f, 0, 1), "reference", network, List.of());
            Path file = dir.resolve("lstm.safetensors");
            write(file, c);
            var sets = model.sets();
            float[] x = new float[sets.getFirst().size()];
            sets.getFirst().copy(0, 1, x, 0);
            float[] nndl = network.forward(x).clone();

            Map<String, float[]> t = tensors(file);
            float[] wih = t.get("lstm.weight_ih_l0"), whh = t.get("lstm.weight_hh_l0"), bih = t.get("lstm.bias_ih_l0"), bhh = t.get("lstm.bias_hh_l0");
            int hidden = 2, in = 3;
            double[] h = new double[hidden], cell = new double[hidden];
            for (int step = 0; step < 4; step++) {
                double[] z = new double[4 * hidden];
                for (int r = 0; r < 4 * hidden; r++) {
                    z[r] = bih[r] + bhh[r];
                    for (int j = 0; j < in; j++) z[r] += wih[r * in + j] * x[step * in + j];
                    for (int j = 0; j < hidden; j++) z[r] += whh[r * hidden + j] * h[j];
                }
                for (int j = 0; j < hidden; j++) {   // chunks i, f, g, o, as torch.nn.LSTM documents them
                    double i = sigmoid(z[j]), f = sigmoid(z[hidden + j]), g = Math.tanh(z[2 * hidden + j]), o = sigmoid(z[3 * hidden + j]);
                    cell[j] = f * cell[j] + i * g;
                    h[j] = o * Math.tanh(cell[j]);
                }
            }
            float[] fcW = t.get("fc.weight"), fcB = t.get("fc.bias");
            double[] logits = new double[3];
            double sum = 0;
            for (int o = 0; o < 3; o++) {
                logits[o] = fcB[o];
                for (int j = 0; j < hidden; j++) logits[o] += fcW[o * hidden + j] * h[j];
                sum += Math.exp(logits[o]);
            }
            for (int o = 0; o < 3; o++) assertEquals(Math.exp(logits[o]) / sum, nndl[o], 1e-5, "class " + o);
        }
    }

    private static double sigmoid(double z) {
        return 1 / (1 + Math.exp(-z));
    }

    /** Every tensor of a file nndl wrote, by name, from its header's offsets. */
    private static Map<String, float[]> tensors(Path file) throws Exception {
        var header = (Map<?, ?>) Json.parse(header(file));
        byte[] bytes = Files.readAllBytes(file);
        int start = 8 + header(file).getBytes(StandardCharsets.UTF_8).length;
        Map<String, float[]> tensors = new java.util.HashMap<>();
        for (var e : header.entrySet()) {
            if (e.getKey().equals("__metadata__")) continue;
            List<?> offsets = (List<?>) ((Map<?, ?>) e.getValue()).get("data_offsets");
            int begin = ((Long) offsets.get(0)).intValue(), end = ((Long) offsets.get(1)).intValue();
            float[] values = new float[(end - begin) / 4];
            ByteBuffer.wrap(bytes, start + begin, end - begin).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
            tensors.put((String) e.getKey(), values);
        }
        return tensors;
    }

    /** The first {@code count} floats of a file's data. */
    private static float[] data(Path file, int count) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        int start = 8 + (int) ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
        float[] values = new float[count];
        ByteBuffer.wrap(bytes, start, 4 * count).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
        return values;
    }

    @Test
    void weightsRoundTripBitForBitWithThePlanInTheMetadata() throws IOException {
        Plan plan = new Plan(Rung.V3, 7, 20, 0.03f, 0.1f, 5, 0.9f, Schedule.parse("plateau:10:2"));
        Checkpoint c = weights(Rung.V3, plan, 5);
        float[] first = c.parameters().getFirst();
        first[0] = -0f;
        first[1] = Float.MIN_VALUE;
        first[2] = -Float.MAX_VALUE;
        Path file = dir.resolve("v3.safetensors");
        SafeTensors.write(file, c, dir.resolve("best.nndl"), SafeTensors.metadata(c));
        SafeTensors.Weights w = SafeTensors.read(file, Rung.V3);
        assertEquals(c.parameters().size(), w.parameters().size());
        for (int i = 0; i < c.parameters().size(); i++) assertArrayEquals(c.parameters().get(i), w.parameters().get(i), "array " + i);
        Map<String, String> m = w.metadata();
        assertEquals("pt", m.get("format"));
        assertEquals("v3", m.get("model"));
        assertEquals("conv1: conv 20@5x5 s1 p0 relu; pool1: max-pool 2x2 s2; conv2: conv 40@5x5 s1 p0 relu; pool2: max-pool 2x2 s2; fc1: fc 100 relu; "
                + "softmax: fc 10 softmax", m.get("architecture"));
        assertEquals(List.of("7", "20", "0.03", "0.1", "0.9", "5", "plateau:10:2", "1", "91.25", "90.50"), List.of(m.get("epochs"), m.get("batch"), m.get("eta"),
                m.get("lambda"), m.get("momentum"), m.get("seed"), m.get("schedule"), m.get("epochs_trained"), m.get("validation_accuracy"), m.get("test_accuracy")));
    }

    @Test
    void theFileIsLaidOutAsSafetensorsSays() throws IOException {
        Checkpoint c = new Checkpoint(new Plan(SafeTensorsTest.TINY, 1, 10, 0.1f, 0, 1), "cpu", 0, List.of(), numbered(), List.of());
        Path file = dir.resolve("tiny.safetensors");
        write(file, c);
        byte[] bytes = Files.readAllBytes(file);
        long n = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, n % 8, "the header is padded to 8 bytes");
        String header = new String(bytes, 8, (int) n, StandardCharsets.UTF_8);
        assertTrue(header.startsWith("{\"__metadata__\":{\"format\":\"pt\",\"model\":\"v0\""), header);
        assertTrue(header.contains(",\"conv1.weight\":{\"dtype\":\"F32\",\"shape\":[2,1,3,3],\"data_offsets\":[0,72]},"
                + "\"conv1.bias\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[72,80]},\"fc3.weight\":{\"dtype\":\"F32\",\"shape\":[3,2],\"data_offsets\":[80,104]}"), header);
        assertEquals(8 + n + 37 * 4, bytes.length);
        ByteBuffer data = ByteBuffer.wrap(bytes, (int) (8 + n), 37 * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int g = 0; g < 37; g++) assertEquals(g * 0.25f - 2, data.getFloat(), "value " + g);
    }

    /** Written by the safetensors package 0.8.0 itself (tensors sorted by name, its own padding), see the Javadoc of {@link #numbered}. */
    @Test
    void aFileThatSafetensorsItselfWroteReads() throws IOException {
        Path file = dir.resolve("tiny-python.safetensors");
        try (var in = SafeTensorsTest.class.getResourceAsStream("tiny-python.safetensors")) {
            Files.write(file, in.readAllBytes());
        }
        SafeTensors.Weights w = SafeTensors.read(file, TINY);
        List<float[]> expected = numbered();
        for (int i = 0; i < expected.size(); i++) assertArrayEquals(expected.get(i), w.parameters().get(i));
        assertEquals(Map.of("format", "pt", "written_by", "safetensors.numpy.save_file"), w.metadata());
    }

    static void write(Path file, Checkpoint c) throws IOException {
        SafeTensors.write(file, c, file.resolveSibling("checkpoint.nndl"), SafeTensors.metadata(c));
    }

    /** {@code tiny.safetensors} with its header text changed by {@code edit} (and its length field made right). */
    private Path edited(UnaryOperator<String> edit) throws IOException {
        Path file = dir.resolve("tiny.safetensors");
        write(file, new Checkpoint(new Plan(SafeTensorsTest.TINY, 1, 10, 0.1f, 0, 1), "cpu", 0, List.of(), numbered(), List.of()));
        return withHeader(file, edit.apply(header(file)));
    }

    static String header(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        int n = (int) ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
        return new String(bytes, 8, n, StandardCharsets.UTF_8);
    }

    /** {@code file} with {@code header} in place of its own, and the length field to match. */
    static Path withHeader(Path file, String header) throws IOException {
        byte[] bytes = Files.readAllBytes(file), json = header.getBytes(StandardCharsets.UTF_8);
        int n = (int) ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
        ByteBuffer out = ByteBuffer.allocate(8 + json.length + bytes.length - 8 - n).order(ByteOrder.LITTLE_ENDIAN);
        out.putLong(json.length).put(json).put(bytes, 8 + n, bytes.length - 8 - n);
        Files.write(file, out.array());
        return file;
    }

    private void refused(Path file, Model model, String expected) {
        var e = assertThrows(BadFileException.class, () -> SafeTensors.read(file, model));
        assertEquals(file + ": " + expected, e.getMessage());
    }

    private void refused(UnaryOperator<String> edit, String expected) throws IOException {
        refused(edited(edit), TINY, expected);
    }

    @Test
    void aHeaderBeyondTheFileOrNotJsonIsNamed() throws IOException {
        Path file = edited(h -> h);
        byte[] bytes = Files.readAllBytes(file);
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putLong(0, bytes.length);
        Files.write(file, bytes);
        refused(file, TINY, "declares a header of " + bytes.length + " bytes, beyond the " + (bytes.length - 8)
                + " bytes after its length: not a safetensors file, or cut short");
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putLong(0, -1);
        Files.write(file, bytes);
        refused(file, TINY, "declares a header of 18446744073709551615 bytes, beyond the " + (bytes.length - 8)
                + " bytes after its length: not a safetensors file, or cut short");
        Files.write(file, new byte[5]);
        refused(file, TINY, "is 5 bytes, too short for a safetensors file's 8-byte header length");
        String header = header(edited(h -> h));
        refused(h -> h.replace("\"shape\":[2,1,3,3],", "\"shape\":[2,1,3,3]"), "has a header that is not JSON: expected ',' or '}' in an object, found '\"' at character "
                + (header.indexOf("\"shape\":[2,1,3,3],") + "\"shape\":[2,1,3,3]".length()));
        refused(h -> h.replace("\"conv1.bias\"", "\"conv1.weight\""), "has a header that is not JSON: key \"conv1.weight\" appears twice at character "
                + header.indexOf("\"conv1.bias\""));
        refused(h -> "[1, 2]" + " ".repeat(h.length() - 6), "has a header that is not a JSON object");
        refused(h -> h.replace("\"format\":\"pt\"", "\"format\":1"), "has __metadata__ whose 'format' is not a string");
        refused(h -> "[".repeat(100), "has a header that is not JSON: nested deeper than 64 levels at character 65");
    }

    @Test
    void aDtypeOtherThanF32AndOffsetsThatDoNotTileTheDataAreNamed() throws IOException {
        refused(h -> h.replace("\"dtype\":\"F32\",\"shape\":[2]", "\"dtype\":\"BF16\",\"shape\":[2]"),
                "has tensor 'conv1.bias' of dtype 'BF16'; nndl reads F32 only (in PyTorch, save tensor.float())");
        refused(h -> h.replace("[72,80]", "[68,76]"), "has tensors 'conv1.weight' and 'conv1.bias' whose bytes overlap ([0, 72] and [68, 76])");
        refused(h -> h.replace("[0,72]", "[4,76]"), "has bytes 0 to 4 of its data in no tensor");
        refused(h -> h.replace("[140,148]", "[140,150]"), "has tensor 'softmax4.bias' at data_offsets [140, 150], outside the 148 bytes of data");
        refused(h -> h.replace("[140,148]", "[140,144]"), "has tensor 'softmax4.bias' of shape [2], 2 F32 values, at data_offsets [140, 144], which hold 4 bytes");
        refused(h -> h.replace("\"shape\":[2],\"data_offsets\":[140", "\"shape\":[2,4294967296,4294967296],\"data_offsets\":[140"),
                "has tensor 'softmax4.bias' with a dimension of 4294967296");
        refused(h -> h.replace("\"shape\":[2],\"data_offsets\":[140", "\"shape\":[2147483647,2147483647,2147483647],\"data_offsets\":[140"),
                "has tensor 'softmax4.bias' of shape [2147483647, 2147483647, 2147483647], more than 2^61 F32 values, at data_offsets [140, 148], which hold 8 bytes");
        refused(h -> h.replace("\"data_offsets\":[140,148]", "\"data_offsets\":[140,148],\"strides\":[1]"),
                "has tensor 'softmax4.bias' with a field 'strides' besides dtype, shape and data_offsets");
        refused(h -> h.replace("[140,148]", "[140,-148]"), "has tensor 'softmax4.bias' whose data_offsets are not [begin, end]");
    }

    @Test
    void tensorsTheModelLacksOrNeedsOrShapesOtherwiseAreNamed() throws IOException {
        refused(h -> h.replace("\"softmax4.bias\"", "\"softmax9.bias\""), "has no tensor softmax4.bias [2], which v0 needs");
        refused(h -> h.replace("\"shape\":[3,2]", "\"shape\":[2,3]"), "holds fc3.weight of shape [2, 3] where v0's is [3, 2]");
        Path file = edited(h -> h);
        refused(file, Rung.V3, "holds conv1.weight of shape [2, 1, 3, 3] where v3's is [20, 1, 5, 5]");
        refused(h -> h.substring(0, h.lastIndexOf('}')) + ",\"extra\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[148,148]}}",
                "holds tensor 'extra', which v0 has no place for (it has 6: conv1.weight ... softmax4.bias)");
        Model twoLayers = new Tiny("1x4x4", List.of("conv:2:3:relu", "pool:2", "softmax:2"));
        refused(file, twoLayers, "has no tensor softmax3.weight [2, 2], which v0 needs");
    }

    @Test
    void valuesThatAreNotFiniteAndFilesThatAreNotFilesAreNamed() throws IOException {
        Path file = edited(h -> h);
        byte[] bytes = Files.readAllBytes(file);
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putFloat(bytes.length - 4, Float.NaN);
        Files.write(file, bytes);
        refused(file, TINY, "holds NaN in 'softmax4.bias' at 1");
        refused(dir, TINY, "is not a regular file (a device, a pipe or a folder); give a .safetensors file");
    }
}
