package dev.nndl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The command line as a user sees it: output, exit codes and error lines. */
class NndlTest {

    @Test
    void shapesLeNet5PrintsTheSeedsTable() {
        CliRun r = CliRun.of("shapes", "lenet5");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().matches("(?s).*\\bC1 +conv 6@5x5 s1 p0 tanh +1x32x32 +6x28x28 .*"), r.out());
        for (String params : new String[] {"156", "2,416", "48,120", "10,164", "850"}) {
            assertTrue(r.out().contains(" " + params + "  "), params + " in\n" + r.out());
        }
        assertTrue(r.out().contains("total parameters: 61,706"), r.out());
    }

    @Test
    void shapesAlexNetPrints227To13() {
        CliRun r = CliRun.of("shapes", "alexnet");
        assertEquals(0, r.code(), r.err());
        for (String size : new String[] {"3x227x227", "96x55x55", "96x27x27", "256x27x27", "256x13x13"}) {
            assertTrue(r.out().contains(size), size + " in\n" + r.out());
        }
        assertTrue(r.out().contains("rel. 5: o = floor((i - k) / s) + 1"), r.out());
        assertTrue(r.out().contains("total parameters: 60,965,224"), r.out());
    }

    @Test
    void shapesOfCustomLayers() {
        CliRun r = CliRun.of("shapes", "--input", "1x28x28", "conv:20:5", "pool:2", "fc:100", "softmax:10");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("20x12x12"), r.out());
        assertTrue(r.out().contains("total parameters: 289,630"), r.out());
    }

    @Test
    void anImpossibleLayerEndsWithOneLineAndExitCode2() {
        CliRun r = CliRun.of("shapes", "--input", "1x4x4", "conv:8:5");
        assertEquals(2, r.code());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().startsWith("nndl shapes: layer 1 (conv1, conv 8@5x5 s1 p0) does not fit its input 1x4x4: kh=5 is larger"), r.err());
    }

    /** A model's id, as train --model takes it: GoogLeNet at a quarter width on 96 x 96, its last pool over the 3 x 3 left. */
    @Test
    void shapesOfAModelId() {
        CliRun r = CliRun.of("shapes", "googlenet-10-w0.25-i96");
        assertEquals(0, r.code(), r.err());
        for (String row : new String[] {"conv1 +conv 16@7x7 s2 p3 relu +3x96x96 +16x48x48 ", "pool5 +avg-pool 3x3 s1 +256x3x3 +256 ", "linear +fc 10 softmax +256 +10 "}) {
            assertTrue(r.out().matches("(?s).*" + row + ".*"), row + " in\n" + r.out());
        }
        CliRun wide = CliRun.of("shapes", "googlenet-w2");
        assertEquals(2, wide.code());
        assertEquals("nndl shapes: GoogLeNet's width 2.0: use a multiplier above 0 and at most 1 (0.25 keeps a quarter of every layer's channels)", wide.err().strip());
    }

    @Test
    void shapesOfARecurrentModelAndOfRecurrentSpecs() {
        CliRun r = CliRun.of("shapes", "lstm-h32-t50");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("LSTM of 32 units over 50 steps of 8 symbols"), r.out());
        assertTrue(r.out().contains("1  lstm   lstm 32, last step  1x50x8  32       5,248  4 x 32 x (8 + 32 + 1), over 50 steps"), r.out());
        assertTrue(r.out().contains("2  fc     fc 8 softmax        32      8          264  (32 + 1) x 8"), r.out());
        assertTrue(r.out().contains("total parameters: 5,512"), r.out());
        CliRun spec = CliRun.of("shapes", "--input", "20x8", "rnn:16", "softmax:8");
        assertEquals(0, spec.code(), spec.err());
        assertTrue(spec.out().contains("rnn 16, last step") && spec.out().contains("total parameters: 536"), spec.out());
        CliRun bad = CliRun.of("shapes", "rnn-s300");
        assertEquals(2, bad.code());
        assertEquals("nndl shapes: model rnn-s300: symbols 300: use 2 to 256 symbols", bad.err().strip());
        String list = CliRun.of("shapes", "--list").out();
        assertTrue(list.contains("\nlstm      LSTM of 64 units over 20 steps of 8 symbols"), list);
    }

    @Test
    void anUnknownNetworkNamesTheKnownOnes() {
        CliRun r = CliRun.of("shapes", "vgg");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("known: lenet5, alexnet, googlenet, v0, v1, v2, v3, v4, v5, v6"), r.err());
    }

    @Test
    void backendsListsTheReference() {
        CliRun r = CliRun.of("backends");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("backend    loaded from  status\n"), r.out());
        assertTrue(r.out().contains("\nreference  built in     available: Java"), r.out());
    }

    /** nndl's own modules are "built in"; a class from any other jar, a plugin's, is shown by its path. */
    @Test
    void backendsSaysWhereAClassWasLoadedFrom() {
        assertEquals(BackendsCommand.BUILT_IN, BackendsCommand.origin(dev.nndl.reference.ReferenceKernels.class));
        assertEquals(BackendsCommand.BUILT_IN, BackendsCommand.origin(BackendsCommand.class));
        String elsewhere = BackendsCommand.origin(picocli.CommandLine.class);
        assertTrue(elsewhere.startsWith("/") && elsewhere.endsWith(".jar") && elsewhere.contains("picocli"), elsewhere);
    }

    @Test
    void helpListsTheCommands() {
        CliRun r = CliRun.of("--help");
        assertEquals(0, r.code());
        assertTrue(r.out().contains("shapes") && r.out().contains("backends"), r.out());
    }

    @Test
    void conformWritesTheCsvForTheReference(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path csv = dir.resolve("out.csv");
        CliRun r = CliRun.of("conform", "--backend", "reference", "--tries", "5", "--csv", csv.toString());
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("reference: PASSED every operation"), r.out());
        java.util.List<String> lines = java.nio.file.Files.readAllLines(csv);
        assertEquals("backend,device,op,direction,cases,passed,failed,max_abs_err,max_rel_err,tolerance,verdict,seconds,rerun", lines.getFirst());
        assertEquals(dev.nndl.conformance.Checks.all().size(), lines.size() - 1, "one row per operation and direction");
        assertTrue(lines.stream().skip(1).allMatch(l -> l.startsWith("reference,") && l.matches(".*,pass,[0-9.]+,$")), String.join("\n", lines));
    }

    @Test
    void conformReportsBackendsThatCannotRunAsSkipped(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path csv = dir.resolve("all.csv");
        CliRun r = CliRun.of("conform", "--backend", "all", "--tries", "2", "--csv", csv.toString());
        assertEquals(0, r.code(), r.out() + r.err());
        String sdk = System.getenv("TORNADOVM_HOME");
        if (sdk != null && java.nio.file.Files.exists(java.nio.file.Path.of(sdk, "tornado-argfile"))) {
            // with a TornadoVM SDK the build includes kernels-tornado, and the backend must pass instead
            assertTrue(r.out().contains("tornado: PASSED every operation"), r.out());
            return;
        }
        assertTrue(r.out().contains("tornado: skipped: kernels-tornado was not built: it needs a TornadoVM SDK"), r.out());
        assertTrue(java.nio.file.Files.readString(csv).contains("tornado,,*,*,0,0,0,,,,\"skipped: kernels-tornado was not built"), java.nio.file.Files.readString(csv));
        CliRun named = CliRun.of("conform", "--backend", "tornado");
        assertEquals(3, named.code(), "a backend named but unable to start");
        assertTrue(named.out().contains("set TORNADOVM_HOME"), named.out());
        assertTrue(CliRun.of("backends").out().contains("\ntornado    -            unavailable: kernels-tornado was not built"));
    }

    @Test
    void conformKillsTheMutants() {
        CliRun r = CliRun.of("conform", "--mutants", "--tries", "20");
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("mutant:softmax-without-max: FAILED"), r.out());
        assertTrue(!r.out().contains("PASSED every operation"), r.out());
    }

    @Test
    void profileRefusesAHostBackendWithTheReason() {
        CliRun r = CliRun.of("profile", "--backend", "reference", "--steps", "1");
        assertEquals(2, r.code(), r.out() + r.err());
        assertTrue(r.err().startsWith("nndl profile: backend 'reference' (Java"), r.err());
        assertTrue(r.err().contains("runs on the host arrays: it has no device time or transfers to profile. Add --operations to time its operations, "
                + "--simulated-device"), r.err());
    }

    /** Untimed steps until both the count and the time are reached: a count alone timed the JIT's first compilations. */
    @Test
    void profileWarmsUpForTheStepsAndTheTimeAsked() {
        int[] calls = {0};
        assertEquals(5, ProfileCommand.warmUp(() -> calls[0]++, 5, 0));
        assertEquals(5, calls[0]);
        long start = System.nanoTime();
        int steps = ProfileCommand.warmUp(() -> calls[0]++, 1, 0.05);
        assertTrue(System.nanoTime() - start >= 50_000_000L, "warmed up for less than 0.05 s");
        assertTrue(steps > 1, "one step in 0.05 s: it stopped at the count, not the time");
        CliRun r = CliRun.of("profile", "--backend", "cpu", "--operations", "--warm-up", "-1");
        assertEquals(2, r.code(), r.out() + r.err());
        assertTrue(r.err().contains("--warm-up must be 0 to 3600 seconds, not -1.0"), r.err());
    }

    /** A split step's operations: at the part's batch, twice a step, and no row between operations, which the threads' sums would make negative. */
    @Test
    void profileSaysWhenAStepRanInPartsAtOnce() {
        System.setProperty(dev.nndl.cpu.CpuKernels.THREADS, "2");
        CliRun r;
        try {
            r = CliRun.of("profile", "--backend", "cpu", "--operations", "--rungs", "lenet5", "--batch", "10", "--steps", "2", "--warm-up", "0");
        } finally {
            System.clearProperty(dev.nndl.cpu.CpuKernels.THREADS);
        }
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("\n  in 2 parts of 5 samples at once, each on a thread of its own"), r.out());
        assertTrue(r.out().matches("(?s).*\n  conv2dForward +n5_c1_h28_w28_oc6_k5x5_p2x2 +2 +[0-9.]+ +[0-9.]+% +[0-9.]+\n.*"), r.out());
        assertFalse(r.out().contains("(between operations)"), r.out());
    }

    /** Every operation of a v1 step, each shape on a line of its own, slowest first, with GFLOP/s where multiply-adds are counted. */
    @Test
    void profileTimesTheOperationsOfAStepOnAHostBackend() {
        CliRun r = CliRun.of("profile", "--backend", "reference", "--operations", "--rungs", "v1", "--batch", "2", "--steps", "2", "--warm-up", "0");
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().matches("(?s).*\\nv1, batch 2: [0-9,.]+ us a step, [0-9,.]+ us \\([0-9.]+ %\\) inside \\d+ operations\\n.*"), r.out());
        assertTrue(r.out().matches("(?s).*\\n  conv2dForward +n2_c1_h28_w28_oc20_k5x5 +1 +[0-9.]+ +[0-9.]+% +[0-9.]+\\n.*"), r.out());
        assertTrue(r.out().matches("(?s).*\\n  maxPool2dBackward +n2_c20_h24_w24_k2x2_s2x2 +1 +[0-9.]+ +[0-9.]+% *\\n.*"), r.out());
        assertTrue(r.out().contains("\n  (between operations) "), r.out());
        java.util.regex.Pattern row = java.util.regex.Pattern.compile("  [a-z][A-Za-z0-9]+ +.*? +\\d+ +([0-9.]+) +[0-9.]+% *[0-9.]*");
        List<Double> times = r.out().lines().map(row::matcher).filter(java.util.regex.Matcher::matches).map(m -> Double.parseDouble(m.group(1))).toList();
        assertTrue(times.size() > 10, r.out());
        for (int i = 1; i < times.size(); i++) assertTrue(times.get(i - 1) >= times.get(i), "slowest first:\n" + r.out());
    }

    /** On a device that keeps arrays, a v3 step after the first moves its images and labels up and its losses back, and nothing else. */
    @Test
    void profileCountsTheBytesASimulatedDeviceMoves() {
        CliRun r = CliRun.of("profile", "--backend", "cpu", "--simulated-device", "--rungs", "v3", "--batch", "10", "--steps", "2", "--warm-up", "0");
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().matches("(?s).*\\nv3 +10 +- .* - +31,760 +40 +3,180 +1\\.00\\n.*"), r.out());
    }

    /**
     * Aparapi puts every launch's inputs on the device and gets its outputs back, since its device
     * buffers belong to one kernel's fields: 10,146,440 bytes a v3 step at mini-batch 10, 319 times
     * the mini-batch, as the backends guide says.
     */
    @Test
    void profileCountsTheBytesAparapiMoves() {
        org.junit.jupiter.api.Assumptions.assumeTrue(CliRun.openClDriverInstalled(), "no OpenCL driver installed");
        CliRun r = CliRun.of("profile", "--backend", "aparapi", "--rungs", "v3", "--batch", "10", "--steps", "1", "--warm-up", "0");
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().matches("(?s).*\\nv3 +10 .* 6,313,040 +3,833,400 +1,014,644 +319\\.07\\n.*"), r.out());
    }

    /** A bad vector width used to throw from a class initialiser and take every backend listing down with it. */
    @Test
    void aBadCpuVectorWidthMakesTheCpuBackendUnavailableWithTheReason(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        String reason = "-Dnndl.cpu.vectorBits=7 is not a vector width; use 128, 256, 512 or preferred";
        CliRun listed = CliRun.forked(java.util.List.of("-Dnndl.cpu.vectorBits=7"), "backends");
        assertEquals(0, listed.code(), listed.out());
        assertTrue(listed.out().contains("\ncpu        built in     unavailable: " + reason), listed.out());
        CliRun named = CliRun.forked(java.util.List.of("-Dnndl.cpu.vectorBits=7", "-Dnndl.backend=cpu"), "train", "--model", "v0", "--data", "nowhere", "--out", dir.toString());
        assertEquals(2, named.code(), named.out());
        assertEquals("nndl train: backend 'cpu' cannot start: " + reason, named.out().strip());
    }

    @Test
    void aBadShapesRegexNamesTheOption() {
        CliRun r = CliRun.of("bench", "--backends", "reference", "--ops", "conv2d", "--shapes", "ladder(");
        assertEquals(2, r.code(), r.out() + r.err());
        assertEquals("nndl bench: --shapes 'ladder(' is not a regular expression (Unclosed group at index 7); give part of a shape name, "
                + "e.g. ladder, or alternatives: mb64|alexnet", r.err().strip());
    }

    /** JMH refuses to start while another run holds its lock; that used to end in a stack trace. */
    @Test
    void aSecondBenchmarkSaysAnotherIsRunning() throws Exception {
        try (var channel = java.nio.channels.FileChannel.open(BenchCommand.JMH_LOCK, java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE);
             var held = channel.lock()) {
            CliRun r = CliRun.of("bench", "--quick", "--backends", "reference", "--ops", "conv2d", "--shapes", "nothing-by-this-name");
            assertEquals(2, r.code(), r.out() + r.err());
            assertEquals("nndl bench: another benchmark is running (it holds JMH's lock, " + BenchCommand.JMH_LOCK + "); wait for it to end, "
                    + "or add -Djmh.ignoreLock=true to NNDL_JAVA_OPTS to run beside it, and the two will disturb each other's timings", r.err().strip());
        }
    }

    /** Layer specs: a field that is not a number, or out of range, is named with what fits; swish was "not a number (wish)". */
    @Test
    void aBadLayerSpecNamesTheFieldAndItsRange() {
        String[][] cases = {
                {"conv:20:5:swish", "layer 1 'conv:20:5:swish': unknown option 'swish' (options: sSTRIDE, pPADDING, dDILATION, gGROUPS, an activation, or exclude for average pooling)"},
                {"fc:0", "layer 1 'fc:0': N is 0: use 1 or more"},
                {"dropout:2", "layer 1 'dropout:2': P, the probability of dropping a unit, is 2: use 0 to below 1"},
                {"dropout:x", "layer 1 'dropout:x': P is 'x', not a number"},
                {"conv:x:5", "layer 1 'conv:x:5': FILTERS is 'x', not a whole number"},
                {"conv:8:3:s0", "layer 1 'conv:8:3:s0': the stride s is 0: use 1 or more"},
                {"pool:2:p-1", "layer 1 'pool:2:p-1': the padding p is -1: use 0 or more"},
                {"conv:8", "layer 1 'conv:8': missing K"}};
        for (String[] c : cases) {
            CliRun r = CliRun.of("shapes", "--input", "1x28x28", c[0]);
            assertEquals(2, r.code(), c[0] + ": " + r.out() + r.err());
            assertEquals(1, r.err().strip().lines().count(), r.err());
            assertTrue(r.err().startsWith("nndl shapes: " + c[1] + "; expected conv:FILTERS:K"), r.err());
        }
    }

    /** A failure prints the command that reruns its case alone, and that command fails again on one case. */
    @Test
    void aFailurePrintsItsRerunAndTheRerunFailsAgain(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path xml = dir.resolve("conform.xml");
        CliRun r = CliRun.of("conform", "--mutants", "--ops", "conv2d:forward", "--tries", "3", "--junit-xml", xml.toString());
        assertEquals(0, r.code(), r.out() + r.err());
        String rerun = r.out().lines().filter(l -> l.strip().startsWith("rerun it alone: ./nndl conform --mutants --ops conv2d:forward --case n="))
                .findFirst().orElseThrow(() -> new AssertionError(r.out())).strip().substring("rerun it alone: ./nndl ".length());
        assertTrue(r.out().contains("mutant:padding-off-by-one: FAILED 1 of 1 operations"), r.out());
        CliRun again = CliRun.of(rerun.split(" "));
        assertTrue(again.out().contains("one case: n=") && again.out().contains("conv2d forward                             FAIL            2"), again.out());
        String report = java.nio.file.Files.readString(xml);
        assertTrue(report.contains("<testsuite name=\"nndl.conform.mutant:padding-off-by-one\" tests=\"1\" failures=\"1\""), report);
    }

    @Test
    void conformNamesTheOperationsAndCaseItCannotRead() {
        CliRun op = CliRun.of("conform", "--backend", "reference", "--ops", "conv3d");
        assertEquals(2, op.code());
        assertTrue(op.err().startsWith("nndl conform: --ops conv3d: no such operation; the contract's are conv2d, conv-transpose2d,"), op.err());
        CliRun shape = CliRun.of("conform", "--backend", "reference", "--ops", "fully-connected", "--case", "n=1,in=2");
        assertEquals(2, shape.code());
        assertEquals("nndl conform: --case for fully-connected forward: no out=; a FcShape case names n,in,out", shape.err().strip());
        CliRun one = CliRun.of("conform", "--backend", "reference", "--ops", "fully-connected:backward-input", "--case", "n=2,in=300,out=7", "--seed", "9");
        assertEquals(0, one.code(), one.out() + one.err());
        assertTrue(one.out().contains("fully-connected backward-input             pass            2"), one.out());
    }

    @Test
    void conformRefusesTriesOutOfRange() {
        CliRun r = CliRun.of("conform", "--backend", "reference", "--tries", "-1");
        assertEquals(2, r.code(), r.out() + r.err());
        assertEquals("nndl conform: --tries -1: use 0 (the edge cases alone) to 100000 random cases per operation", r.err().strip());
    }

    /** bench --compare: "same" for one run against itself, "slower" and exit 1 for a slowed benchmark, and a markdown table beside the new run. */
    @Test
    void benchCompareCallsSlowerRunsAndExitsOne(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path old = dir.resolve("old.csv"), now = dir.resolve("new.csv");
        String header = "timestamp,commit,jdk,machine,op,direction,shape_name,shape,backend,device,threads,mode,score,error,samples,unit,gflops,pct_peak,speedup_vs_reference,conformance\n";
        java.nio.file.Files.writeString(old, header + "t,c,25,m,conv2d,forward,ladder-conv1-mb10,s,cpu,d,2,avgt,174.5,3.2,15,us/op,50,20,100,pass\n");
        CliRun same = CliRun.of("bench", "--compare", old.toString(), old.toString());
        assertEquals(0, same.code(), same.out() + same.err());
        assertTrue(same.out().contains("x1.000 [") && same.out().contains("1 benchmarks: 0 slower, 0 faster, 1 the same"), same.out());
        java.nio.file.Files.writeString(now, header + "t,c,25,m,conv2d,forward,ladder-conv1-mb10,s,cpu,d,2,avgt,230.1,3.5,15,us/op,38,15,76,pass\n");
        CliRun slower = CliRun.of("bench", "--compare", old.toString(), now.toString());
        assertEquals(1, slower.code(), slower.out() + slower.err());
        assertTrue(slower.out().contains("conv2d forward ladder-conv1-mb10 cpu 2t") && slower.out().contains("slower"), slower.out());
        assertTrue(java.nio.file.Files.readString(dir.resolve("compare.md")).contains("| slower |"));
    }

    /** Every module's jar carries the licence; the reports module's own classes stand for them here. */
    @Test
    void theLicenceTravelsInMetaInf() throws Exception {
        try (var in = Nndl.class.getResourceAsStream("/META-INF/LICENSE")) {
            assertTrue(in != null, "META-INF/LICENSE is missing from the reports module's classes");
            assertTrue(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).contains("Apache License"));
        }
    }

    /** --version names the commit the code was built from, whatever folder the command runs in. */
    @Test
    void versionNamesTheCommit() {
        CliRun r = CliRun.of("--version");
        assertEquals(0, r.code(), r.out() + r.err());
        // surefire runs in the module's folder; from an export without .git the commit is honestly unknown
        String commit = java.nio.file.Files.exists(java.nio.file.Path.of("..", ".git")) ? "[0-9a-f]{7,}(-dirty)?" : "unknown";
        assertTrue(r.out().matches("nndl \\S.*, commit " + commit + ", on Java 25.*\\R"), r.out());
    }
}
