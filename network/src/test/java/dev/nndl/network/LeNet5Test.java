package dev.nndl.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nndl.cpu.CpuKernels;
import dev.nndl.network.data.Mnist;
import dev.nndl.network.layer.Layer;
import dev.nndl.network.train.Plan;
import dev.nndl.network.train.Trainer;
import dev.nndl.reference.ReferenceKernels;
import dev.nndl.spi.KernelSet;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** LeNet-5 as the seed's table gives it: its parameter counts, and that it trains. */
class LeNet5Test {

    @Test
    void parameterCountsPerLayerAreTheSeeds() {
        Network net = LeNet5.MODEL.build(new ReferenceKernels(), 1, 1);
        List<Integer> counts = net.layers().stream().map(l -> l.parameters().stream().mapToInt(p -> p.value().length).sum()).toList();
        assertEquals(List.of(156, 0, 2416, 0, 48120, 10164, 850), counts);
        assertEquals(61_706, counts.stream().mapToInt(Integer::intValue).sum());
    }

    @Test
    void itIsAModelByName() {
        assertEquals(LeNet5.MODEL, Model.of("lenet5"));
        assertTrue(Model.all().contains(Rung.V3));
    }

    @Test
    void itLearnsTheBars(@TempDir Path dir) throws Exception {
        Mnist.Splits data = Bars.splits(600, 100, 200, 5);
        try (KernelSet k = new CpuKernels()) {
            Trainer.Result r = new Trainer(k, new Trainer.Listener() {}).train(Plan.of(LeNet5.MODEL, 3).withEpochs(4), data, dir, false);
            assertTrue(r.best().testAccuracy() > 90, "LeNet-5 reached only " + r.best().testAccuracy() + " % on the bars (chance is 10 %)");
        }
        for (Layer l : LeNet5.MODEL.build(new ReferenceKernels(), 1, 1).layers()) assertTrue(l.macs() >= 0);
    }
}
