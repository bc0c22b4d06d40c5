package dev.nndl.cli;

import dev.nndl.bench.LadderStep;
import dev.nndl.bench.OperationTimes;
import dev.nndl.conformance.SimulatedDevice;
import dev.nndl.spi.Backends;
import dev.nndl.spi.DeviceTime;
import dev.nndl.spi.KernelSet;
import dev.nndl.spi.Transfers;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code nndl profile}: where a device backend's time and bytes go in training steps: transfers,
 * kernels and the wall time outside both, from the device's own event timestamps, and the bytes
 * moved each way ({@link KernelSet#transfers}).
 */
@Command(name = "profile", mixinStandardHelpOptions = true,
        description = {"Where a device backend's time and bytes go in training steps of the ladder.",
                "Runs training steps as the trainer takes them (the mini-batch uploaded, the",
                "step, the loss read back) on one fixed mini-batch, after --warm-up seconds of",
                "steps that are not counted, and prints per step: the device time writing inputs,",
                "running kernels and reading results, the transfers' share of the device",
                "time, the share of the wall time outside the device (launch overhead and the",
                "host's own work), and the bytes moved to the device and back, per step and",
                "per image, against the least a step needs (its images, labels and losses).",
                "--simulated-device runs any backend as if on a discrete device that keeps",
                "arrays between calls, to count what such a device would move.",
                "--operations times every operation instead, on any backend: where a step's",
                "wall time goes, operation by operation and shape by shape, slowest first.", ""},
        footer = {"", "Examples:", "  nndl profile", "  nndl profile --backend aparapi --rungs v3,v6 --batch 10,64 --steps 50",
                "  nndl profile --backend cpu --simulated-device --rungs v3 --batch 10",
                "  nndl profile --backend cpu --operations --rungs v3,lenet5 --batch 10 --steps 500", ""})
final class ProfileCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--backend", paramLabel = "NAME", defaultValue = "aparapi", description = "A device backend (default: ${DEFAULT-VALUE}).")
    String backend;

    @Option(names = "--simulated-device", description = "Run the backend as if on a discrete device that keeps arrays between calls (SimulatedDevice): "
            + "counts the bytes such a device moves; times are the host's.")
    boolean simulated;

    @Option(names = "--operations", description = "Time each operation of the step, per step: calls, microseconds, share of the step's wall time, "
            + "and GFLOP/s for the convolutions and fully connected layers. Works on every backend, host backends (reference, cpu) included.")
    boolean operations;

    @Option(names = "--rungs", split = ",", paramLabel = "RUNG", defaultValue = "v3,v6", description = "Rungs to step: v0..v6 or lenet5 (default: ${DEFAULT-VALUE}).")
    List<String> rungs;

    @Option(names = "--batch", split = ",", paramLabel = "N", defaultValue = "10,64", description = "Mini-batch sizes (default: ${DEFAULT-VALUE}).")
    List<Integer> batches;

    @Option(names = "--steps", paramLabel = "N", defaultValue = "20", description = "Timed steps per rung and batch (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--warm-up", paramLabel = "SECONDS", defaultValue = "5",
            description = "Untimed steps first, for at least this long per rung and batch, so the JIT has compiled the kernels (default: ${DEFAULT-VALUE}).")
    double warmUp;

    @Override
    public Integer call() {
        if (steps < 1) throw new IllegalArgumentException("--steps must be at least 1, not " + steps);
        if (!(warmUp >= 0 && warmUp <= 3600)) throw new IllegalArgumentException("--warm-up must be 0 to 3600 seconds, not " + warmUp);
        // before any backend loads: device runtimes read their profiling switch once
        System.setProperty(DeviceTime.PROPERTY, "true");
        PrintWriter out = spec.commandLine().getOut();
        KernelSet started = Backends.start(backend);
        if (operations) {
            try (OperationTimes kernels = new OperationTimes(simulated ? new SimulatedDevice(started) : started)) {
                operations(out, kernels);
            }
            return 0;
        }
        try (KernelSet kernels = simulated ? new SimulatedDevice(started) : started) {
            if (kernels.deviceTime().isEmpty() && kernels.transfers().isEmpty()) {
                throw new IllegalArgumentException("backend '" + backend + "' (" + kernels.device() + ") runs on the host arrays: it has no device time "
                        + "or transfers to profile. Add --operations to time its operations, --simulated-device to count what a device would move, "
                        + "or pick a device backend (aparapi, tornado)");
            }
            out.printf("%s on %s, %d timed steps each, per step:%n", backend, kernels.device(), steps);
            out.printf("%-5s %5s %9s %9s %9s %9s %9s %8s %8s %11s %11s %9s %7s%n", "rung", "batch", "launches", "write ms", "kernel ms", "read ms",
                    "wall ms", "transfer", "outside", "to device", "to host", "B/image", "x least");
            for (String rung : rungs) {
                for (int batch : batches) {
                    LadderStep step = new LadderStep(kernels, rung, batch);
                    warmUp(step::trainerStep, 3, warmUp);
                    DeviceTime timeBefore = kernels.deviceTime().orElse(null);
                    Transfers bytesBefore = kernels.transfers().orElse(null);
                    for (int i = 0; i < steps; i++) step.trainerStep();
                    out.printf("%-5s %5d %s %s%n", rung, batch, time(kernels, timeBefore), bytes(kernels, bytesBefore, batch, step.essentialBytes()));
                    out.flush();
                }
            }
        }
        out.println();
        out.println("transfer: (write + read) / (write + kernel + read); outside: the wall time in which the device was idle;");
        out.println("to device, to host: bytes a step moved; x least: both together over the step's images, labels and losses");
        out.flush();
        return 0;
    }

    /**
     * Runs {@code step} at least {@code steps} times and for at least {@code seconds}; returns how
     * often. LeNet-5's whole step on 2 cores of a Zen 5, 300 timed by {@code --operations}: 2,608.6
     * us a step after 30 warm-up steps (the count alone, as before), 2,899.4 after 2 s, 566.6 after
     * 5 s, 481.9 after 15 s; the JIT compiles slowly with both cores stepping.
     */
    static int warmUp(Runnable step, int steps, double seconds) {
        long start = System.nanoTime(), least = (long) (seconds * 1e9);
        int done = 0;
        while (done < steps || System.nanoTime() - start < least) {
            step.run();
            done++;
        }
        return done;
    }

    private void operations(PrintWriter out, OperationTimes kernels) {
        out.printf("%s on %s, %d timed steps each, wall time per step by operation, slowest first:%n", backend, kernels.device(), steps);
        for (String rung : rungs) {
            for (int batch : batches) {
                LadderStep step = new LadderStep(kernels, rung, batch);
                warmUp(step::trainerStep, Math.max(3, steps / 10), warmUp);
                kernels.reset();
                long start = System.nanoTime();
                for (int i = 0; i < steps; i++) step.trainerStep();
                double wall = (System.nanoTime() - start) / 1e3 / steps;
                List<OperationTimes.Time> times = kernels.times();
                double inside = times.stream().mapToDouble(t -> t.nanos() / 1e3 / steps).sum();
                out.printf("%n%s, batch %d: %,.1f us a step, %,.1f us (%.1f %%) inside %d operations%n", rung, batch, wall, inside, 100 * inside / wall, times.size());
                int parts = kernels.parts();
                if (parts > 1) {
                    out.printf("  in %d parts of %d samples at once, each on a thread of its own: the operations' times add up the threads', and can exceed the step's%n",
                            parts, batch / parts);
                }
                out.printf("  %-30s %-36s %5s %9s %7s %8s%n", "operation", "shape", "calls", "us", "share", "GFLOP/s");
                for (OperationTimes.Time t : times) {
                    double us = t.nanos() / 1e3 / steps;
                    out.println(String.format("  %-30s %-36s %5d %9.1f %6.1f%% %8s", t.operation(), t.shape(), t.calls() / steps, us, 100 * us / wall,
                            Double.isNaN(t.gflops()) ? "" : String.format("%.1f", t.gflops())).stripTrailing());
                }
                if (parts == 1) out.printf("  %-30s %-36s %5s %9.1f %6.1f%%%n", "(between operations)", "", "", wall - inside, 100 * (wall - inside) / wall);
                out.flush();
            }
        }
        out.println();
        out.println("us: microseconds a step, as the caller saw each operation; share: of the step's wall time; GFLOP/s: multiply-adds counted twice");
        out.flush();
    }

    private String time(KernelSet kernels, DeviceTime before) {
        if (before == null) return String.format("%9s %9s %9s %9s %9s %8s %8s", "-", "-", "-", "-", "-", "-", "-");
        DeviceTime t = kernels.deviceTime().orElseThrow().since(before);
        return String.format("%9.0f %9.3f %9.3f %9.3f %9.3f %7.1f%% %7.1f%%", (double) t.launches() / steps, t.writeMillis() / steps,
                t.kernelMillis() / steps, t.readMillis() / steps, t.wallMillis() / steps, 100 * t.transferShare(), 100 * t.hostShare());
    }

    private String bytes(KernelSet kernels, Transfers before, int batch, long least) {
        if (before == null) return String.format("%11s %11s %9s %7s", "-", "-", "-", "-");
        Transfers t = kernels.transfers().orElseThrow().since(before);
        double perStep = (double) t.total() / steps;
        return String.format("%,11d %,11d %,9.0f %7.2f", t.toDevice() / steps, t.toHost() / steps, perStep / batch, perStep / least);
    }
}
