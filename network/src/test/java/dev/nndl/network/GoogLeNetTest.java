package dev.nndl.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nndl.cpu.CpuKernels;
import dev.nndl.network.data.AugmentedImages;
import dev.nndl.network.data.Images;
import dev.nndl.network.data.Samples;
import dev.nndl.network.data.SyntheticTextures;
import dev.nndl.shape.Architecture;
import dev.nndl.shape.Layer;
import dev.nndl.spi.KernelSet;
import dev.nndl.testing.Gen;
import dev.nndl.testing.Property;
import java.util.List;
import org.junit.jupiter.api.Test;

/** GoogLeNet as a model: Table 1 at any width and input size, its ids, and a small one that learns. */
class GoogLeNetTest {

    static final int STEPS = 50;

    @Test
    void atFullWidthAnd224ItIsTable1WithTheDatasClasses() {
        Architecture paper = Architecture.googLeNet(), model = new GoogLeNet(1000).architecture();
        assertEquals(paper.layers(), model.layers());
        assertEquals(6_998_552, model.totalParams());
        Architecture ten = new GoogLeNet(10).architecture();
        assertEquals(new Layer.FullyConnected("linear", 10, "softmax"), ten.layers().getLast());
        assertEquals(paper.totalParams() - 990 * 1025, ten.totalParams(), "990 fewer outputs of 1024 weights and a bias each");
    }

    /** Every input size the option allows: the five stride-2 layers halve it, and the average pool takes what is left to 1 x 1. */
    @Test
    void theLastAveragePoolCoversWhatEveryInputSizeLeaves() {
        Property.check("googlenet input sizes", 60, Gen.between(GoogLeNet.MIN_CROP, GoogLeNet.MAX_CROP, 18, 32, 33, 63, 64, 95, 96, 223, 224, 225, 511), crop -> {
            List<Architecture.Row> rows = new GoogLeNet(3, 0.125f, crop).architecture().table();
            Architecture.Row pool5 = rows.get(rows.size() - 3);
            int left = crop;
            for (int halving = 0; halving < 5; halving++) left = (left + 1) / 2;
            assertEquals(new Layer.Pool("pool5", "avg", left, 1, 0), pool5.layer(), "input " + crop);
            assertEquals(new Layer.Dims(128, 1, 1), pool5.out(), "input " + crop + ": 5b's 384 + 384 + 128 + 128 channels at width 1/8, 1 x 1");
            assertEquals(new Layer.Dims(3, 1, 1), rows.getLast().out());
        });
        assertEquals(new Layer.Pool("pool5", "avg", 7, 1, 0), new GoogLeNet(10).architecture().layers().get(16));
        assertEquals(new Layer.Pool("pool5", "avg", 3, 1, 0), new GoogLeNet(10, 1, 96).architecture().layers().get(16));
    }

    /**
     * At 17 (and 32) the last modules see 1 x 1 maps, at 64 2 x 2: their pooling branch used to build an
     * unpadded 3 x 3 window first, which does not fit, and failed before it was padded.
     */
    @Test
    void theSmallestInputsBuildAndRunForward() {
        try (KernelSet k = new CpuKernels()) {
            for (int crop : new int[] {GoogLeNet.MIN_CROP, 32, 64}) {
                Network network = new GoogLeNet(3, 0.125f, crop).build(k, 1, 1);
                float[] p = network.forward(new float[3 * crop * crop]);
                assertEquals(3, p.length);
                for (float v : p) assertTrue(Float.isFinite(v), "input " + crop + ": " + java.util.Arrays.toString(p));
            }
        }
    }

    @Test
    void theWidthMultipliesEveryLayersChannelsAndKeepsAtLeastOne() {
        List<Layer> quarter = new GoogLeNet(10, 0.25f, 96).architecture().layers();
        assertEquals(new Layer.Conv("conv1", 16, 7, 2, 3, 1, 1, "relu"), quarter.get(0));
        assertEquals(new Layer.Conv("conv2", 48, 3, 1, 1, 1, 1, "relu"), quarter.get(3));
        assertEquals(new Layer.Inception("3a", 16, 24, 32, 4, 8, 8), quarter.get(5));
        assertEquals(new Layer.Inception("4b", 40, 28, 56, 6, 16, 16), quarter.get(9));
        assertEquals(new Layer.Inception("5b", 96, 48, 96, 12, 32, 32), quarter.get(15));
        for (Layer layer : new GoogLeNet(10, 0.001f, 64).architecture().layers()) {
            switch (layer) {
                case Layer.Conv c -> assertEquals(1, c.filters(), c.name());
                case Layer.Inception i -> assertEquals(new Layer.Inception(i.name(), 1, 1, 1, 1, 1, 1), i);
                default -> {}
            }
        }
    }

    @Test
    void idsNameClassesWidthAndInputAndReadBack() {
        assertEquals("googlenet", new GoogLeNet(1000).id());
        assertEquals("googlenet-10", new GoogLeNet(10).id());
        assertEquals("googlenet-10-w0.25-i96", new GoogLeNet(10, 0.25f, 96).id());
        assertEquals("googlenet-w0.125-i64", new GoogLeNet(1000, 0.125f, 64).id());
        assertEquals("googlenet-2-i32", new GoogLeNet(2, 1, 32).id());
        assertEquals("googlenet-3-w0.0001", new GoogLeNet(3, 1e-4f, 224).id(), "no exponent");
        assertEquals(new GoogLeNet(10, 0.25f, 96), Model.of("GoogLeNet-10-w.25-i96"));
        Gen<GoogLeNet> models = Gen.vector(v -> new GoogLeNet(v[0], v[1] / 1000f, v[2]),
                Gen.between(2, 1000, 10), Gen.between(1, 1000, 125, 250, 333), Gen.between(GoogLeNet.MIN_CROP, GoogLeNet.MAX_CROP, 224));
        Property.check("googlenet ids", 200, models, m -> assertEquals(m, Model.of(m.id()), m.id()));
        for (float width : new float[] {1f / 3, 0.1f, Math.nextDown(1f), Float.MIN_VALUE}) {
            GoogLeNet m = new GoogLeNet(5, width, 100);
            assertEquals(m, Model.of(m.id()), m.id());
        }
    }

    @Test
    void idsAndSizesOutsideWhatWorksAreRefusedInOneLine() {
        assertEquals("GoogLeNet needs at least 2 classes, not 1", assertThrows(IllegalArgumentException.class, () -> Model.of("googlenet-1")).getMessage());
        assertEquals("GoogLeNet's width 1.5: " + GoogLeNet.WIDTHS, assertThrows(IllegalArgumentException.class, () -> Model.of("googlenet-w1.5")).getMessage());
        assertEquals("GoogLeNet's width 0.0: " + GoogLeNet.WIDTHS, assertThrows(IllegalArgumentException.class, () -> Model.of("googlenet-w0")).getMessage());
        assertEquals("GoogLeNet's input size 16: use 17 to 512 pixels (the paper's is 224)",
                assertThrows(IllegalArgumentException.class, () -> Model.of("googlenet-i16")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> Model.of("googlenet-i513"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Model.of("googlenet-99999999999")).getMessage().contains("too large"));
        for (String other : List.of("googlenet-", "googlenet-i96-w0.5", "googlenet-w", "googlenet-10-x", "googlenet10")) {
            assertTrue(assertThrows(IllegalArgumentException.class, () -> Model.of(other)).getMessage().startsWith("no model '" + other + "'"), other);
        }
        assertThrows(IllegalArgumentException.class, () -> new GoogLeNet(10, Float.NaN, 224));
    }

    @Test
    void theRecipeIsSection6sWithCaffesNumbersWhereThePaperGivesNone() {
        GoogLeNet m = new GoogLeNet(10, 0.25f, 96);
        assertEquals("step:0.96:8", m.schedule().spec());
        assertEquals(0.9f, m.momentum());
        assertEquals(0.0002f, m.weightDecay(m.lambda(), 1000), "per step, as Caffe's weight_decay");
        assertEquals(110, m.imageSide(), "8/7 of the input");
        assertEquals(256, new GoogLeNet(10).imageSide());
        assertThrows(UnsupportedOperationException.class, () -> m.data(null));
    }

    /**
     * A small GoogLeNet (width 1/8, 64 x 64 crops of 73 x 73 textures, two classes) with the
     * recipe's eta, momentum and decay fits one mini-batch of 8, through all nine inception modules
     * and back: within {@value #STEPS} steps its loss falls below half of ln 2, and every parameter
     * array moves. Measured: 0.69 for 30 steps (a 22-layer stack starts slowly), then 0.04 by
     * step 50; dropout makes single steps jump.
     */
    @Test
    void aSmallGoogLeNetFitsAMiniBatchOfTexturesEndToEnd() {
        GoogLeNet model = new GoogLeNet(2, 0.125f, 64);
        int batch = 8;
        Images images = SyntheticTextures.generate(2, batch / 2, model.imageSide(), 1);
        Samples train = new AugmentedImages(images, images.mean(), model.crop(), 1);
        try (KernelSet k = new CpuKernels()) {
            Network network = model.build(k, batch, 1);
            List<float[]> before = network.parameters().stream().map(p -> p.value().clone()).toList();
            float[] x = new float[batch * train.size()], y = new float[batch * 2];
            train.copy(0, batch, x, Samples.EVALUATION);
            for (int n = 0; n < batch; n++) y[n * 2 + train.label(n)] = 1;
            double first = 0, best = Double.POSITIVE_INFINITY, last = 0;
            for (int step = 0; step < STEPS; step++) {
                network.trainStep(x, y, model.eta(), model.momentum(), model.weightDecay(model.lambda(), 1));
                last = network.meanLoss(y);
                if (step == 0) first = last;
                best = Math.min(best, last);
            }
            System.out.printf("GoogLeNet w1/8 i64, %d steps on one mini-batch: loss %.3f -> best %.3f, last %.3f%n", STEPS, first, best, last);
            assertTrue(Math.abs(first - Math.log(2)) < 0.05, "it starts near chance, ln 2: " + first);
            assertTrue(Double.isFinite(last) && best < 0.5 * first, "the loss falls by half: " + first + " -> " + best);
            for (int i = 0; i < before.size(); i++) {
                assertTrue(!java.util.Arrays.equals(before.get(i), network.parameters().get(i).value()), "parameter array " + i + " moved");
            }
        }
    }
}
