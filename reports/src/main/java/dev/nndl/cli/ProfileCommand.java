package dev.nndl.cli;

import dev.nndl.bench.LadderStep;
import dev.nndl.spi.Backends;
import dev.nndl.spi.DeviceTime;
import dev.nndl.spi.KernelSet;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code nndl profile}: where a device backend's time goes in training steps, from the device's
 * own event timestamps: transfers, kernels, and the wall time outside both.
 */
@Command(name = "profile", mixinStandardHelpOptions = true,
        description = {"Where a device backend's time goes in training steps of the ladder.",
                "Runs training steps on one fixed mini-batch (after warm-up steps that are",
                "not counted) with the backend's event timing on, and prints per step: the",
                "device time writing inputs, running kernels and reading results, the",
                "transfers' share of the device time, and the share of the wall time",
                "outside the device (launch overhead and the host's own work).", ""},
        footer = {"", "Examples:", "  nndl profile", "  nndl profile --backend aparapi --rungs v3,v6 --batch 10,64 --steps 50", ""})
final class ProfileCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--backend", paramLabel = "NAME", defaultValue = "aparapi", description = "A device backend (default: ${DEFAULT-VALUE}).")
    String backend;

    @Option(names = "--rungs", split = ",", paramLabel = "RUNG", defaultValue = "v3,v6", description = "Rungs to step (default: ${DEFAULT-VALUE}).")
    List<String> rungs;

    @Option(names = "--batch", split = ",", paramLabel = "N", defaultValue = "10,64", description = "Mini-batch sizes (default: ${DEFAULT-VALUE}).")
    List<Integer> batches;

    @Option(names = "--steps", paramLabel = "N", defaultValue = "20", description = "Timed steps per rung and batch (default: ${DEFAULT-VALUE}).")
    int steps;

    @Override
    public Integer call() {
        if (steps < 1) throw new IllegalArgumentException("--steps must be at least 1, not " + steps);
        // before any backend loads: device runtimes read their profiling switch once
        System.setProperty(DeviceTime.PROPERTY, "true");
        PrintWriter out = spec.commandLine().getOut();
        try (KernelSet kernels = Backends.start(backend)) {
            if (kernels.deviceTime().isEmpty()) {
                throw new IllegalArgumentException("backend '" + backend + "' (" + kernels.device() + ") reports no device time: it runs on the host,"
                        + " or its runtime was loaded before profiling could be turned on");
            }
            out.printf("%s on %s, %d timed steps each, per step:%n", backend, kernels.device(), steps);
            out.printf("%-5s %5s %10s %10s %10s %10s %10s %9s %9s%n", "rung", "batch", "launches", "write ms", "kernel ms", "read ms", "wall ms",
                    "transfer", "outside");
            for (String rung : rungs) {
                for (int batch : batches) {
                    LadderStep step = new LadderStep(kernels, rung, batch);
                    for (int i = 0; i < 3; i++) step.step();
                    DeviceTime before = kernels.deviceTime().orElseThrow();
                    for (int i = 0; i < steps; i++) step.step();
                    DeviceTime t = kernels.deviceTime().orElseThrow().since(before);
                    out.printf("%-5s %5d %10.0f %10.3f %10.3f %10.3f %10.3f %8.1f%% %8.1f%%%n", rung, batch, (double) t.launches() / steps,
                            t.writeMillis() / steps, t.kernelMillis() / steps, t.readMillis() / steps, t.wallMillis() / steps,
                            100 * t.transferShare(), 100 * t.hostShare());
                    out.flush();
                }
            }
        }
        out.println();
        out.println("transfer: (write + read) / (write + kernel + read); outside: the wall time in which the device was idle");
        out.flush();
        return 0;
    }
}
