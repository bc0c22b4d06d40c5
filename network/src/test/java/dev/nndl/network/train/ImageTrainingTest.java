package dev.nndl.network.train;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nndl.cpu.CpuKernels;
import dev.nndl.network.AlexNet;
import dev.nndl.network.Model;
import dev.nndl.network.Network;
import dev.nndl.network.Networks;
import dev.nndl.network.data.AugmentedImages;
import dev.nndl.network.data.Images;
import dev.nndl.network.data.Samples;
import dev.nndl.network.data.SyntheticTextures;
import dev.nndl.shape.Architecture;
import dev.nndl.spi.KernelSet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The trainer on augmented colour images, the way {@code nndl train --model alexnet} runs it,
 * with a network small enough for a test: the run learns the textures and writes its files. (A
 * resumed run crops as the uninterrupted one: the crops are a function of the step count, which
 * the checkpoint restores; {@code ImagesTest} and {@code KilledRunTest} check the two halves.)
 */
class ImageTrainingTest {

    /** AlexNet's recipe on 3 x 32 x 32 crops of 40 x 40 textures, with a network of two small conv layers. */
    record SmallTextureNet() implements Model {
        @Override public String id() { return "texture-net"; }
        @Override public String change() { return "two conv layers on 32x32 crops"; }
        @Override public float eta() { return 0.01f; }
        @Override public float lambda() { return 0.0005f; }
        @Override public int epochs() { return 3; }
        @Override public boolean expanded() { return false; }
        @Override public double publishedAccuracy() { return Double.NaN; }
        @Override public String publishedBy() { return ""; }
        @Override public float weightDecay(float lambda, int batches) { return new AlexNet(4).weightDecay(lambda, batches); }
        @Override public Architecture architecture() {
            return Architecture.parse("3x32x32", List.of("conv:8:5:relu", "pool:2", "conv:16:5:relu", "pool:2", "fc:32:relu", "softmax:4"));
        }
        @Override public Network build(KernelSet k, int batch, long seed) {
            return Networks.of(architecture(), k, batch, seed);
        }
    }

    @TempDir
    Path dir;

    @Test
    void aRunOnAugmentedTexturesLearnsAndWritesItsFiles() throws IOException {
        Images.Splits images = SyntheticTextures.generate(4, 60, 40, 2).split(0.1);
        float[] mean = images.training().mean();
        Samples train = new AugmentedImages(images.training(), mean, 32, 3), validation = new AugmentedImages(images.validation(), mean, 32, 3),
                test = new AugmentedImages(images.test(), mean, 32, 3);
        Plan plan = new Plan(new SmallTextureNet(), 3, 8, 0.01f, 0.0005f, 4, 0.9f, Schedule.parse("plateau"));
        try (KernelSet k = new CpuKernels()) {
            Trainer.Result whole = new Trainer(k, new Trainer.Listener() {}).train(plan, train, validation, test, dir.resolve("whole"), false);
            assertTrue(whole.best().validationAccuracy() > 50, "4 classes, chance 25 %: " + whole.best().validationAccuracy());
            assertTrue(whole.history().getLast().trainCost() < whole.history().getFirst().trainCost(), "the training cost falls");
            for (String file : List.of(Trainer.CHECKPOINT, Trainer.BEST, RunFiles.EPOCHS_CSV, RunFiles.CURVE, RunFiles.FILTERS)) {
                assertTrue(Files.size(dir.resolve("whole").resolve(file)) > 0, file);
            }
        }
    }
}
