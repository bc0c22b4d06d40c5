package dev.nndl.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nndl.conformance.example.LoopKernels;
import dev.nndl.conformance.mutants.Mutant;
import dev.nndl.conformance.mutants.Mutants;
import dev.nndl.reference.ReferenceKernels;
import dev.nndl.spi.Activations;
import dev.nndl.spi.Families;
import dev.nndl.spi.KernelSet;
import dev.nndl.testing.Case;
import java.io.StringReader;
import java.io.StringWriter;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

/**
 * A verdict a kernel author can act on: an operation handed to the reference is "delegated", not
 * passed; one the backend declines is "skipped" with its reason; a failure carries the options
 * that rerun its case alone, and they do.
 */
class VerdictsTest {

    private static final Conformance.Settings FEW = new Conformance.Settings(2);

    @Test
    void everyCheckIsAKernelSetMethodOfOneFamily() {
        for (OpCheck<?> check : Checks.all()) {
            String method = Delegation.method(check);
            assertTrue(java.util.Arrays.stream(KernelSet.class.getMethods()).anyMatch(m -> m.getName().equals(method)), method);
            Delegation.family(method);
        }
    }

    @Test
    void familiesTheBackendKeptFromTheReferenceAreDelegatedTheRestTested() {
        Conformance.Report report = Conformance.run(new LoopKernels(), FEW, r -> {});
        for (Conformance.OpResult r : report.results()) {
            boolean own = r.op().startsWith("conv") || r.op().equals("fully-connected") || r.op().equals("bias"); // its convolution and dense families
            assertEquals(own ? Conformance.Verdict.PASS : Conformance.Verdict.DELEGATED, r.verdict(), r.op() + " " + r.direction() + ": " + r.firstFailure());
        }
        assertTrue(report.passed());
        Conformance.OpResult lstm = report.results().stream().filter(r -> r.op().equals("lstm")).findFirst().orElseThrow();
        assertEquals("served by the reference's recurrent family: replace it to test it", lstm.firstFailure());
    }

    @Test
    void theReferenceItselfAndMutantsOverridingAnOperationAreTested() {
        assertTrue(Conformance.run(new ReferenceKernels(), new Conformance.Settings(0), r -> {}).results().stream()
                .allMatch(r -> r.verdict() == Conformance.Verdict.PASS));
        for (Mutant mutant : Mutants.all()) {
            OpCheck<?> target = Checks.all().stream().filter(c -> c.name().equals(mutant.target())).findFirst().orElseThrow();
            assertTrue(!Delegation.toReference(target, mutant), mutant.id());
        }
    }

    @Test
    void anOperationTheBackendDeclinesIsSkippedWithItsReason() {
        KernelSet declines = new ForwardingKernelSet(new ReferenceKernels()) {
            private final Activations activations = new Declining(delegate.families().activations());

            @Override
            public Families families() {
                return delegate.families().with(activations);
            }
        };
        Conformance.Report report = Conformance.run(Checks.all().stream().filter(c -> c.op().equals("sigmoid") || c.op().equals("tanh")).toList(),
                declines, FEW, r -> {});
        assertEquals(List.of(Conformance.Verdict.SKIPPED, Conformance.Verdict.PASS, Conformance.Verdict.PASS, Conformance.Verdict.PASS),
                report.results().stream().map(Conformance.OpResult::verdict).toList());
        assertEquals("skipped: sigmoid is not written yet", report.results().getFirst().label());
        assertTrue(report.passed(), "declined is not failed");
    }

    private record Declining(Activations reference) implements Activations {
        @Override public void sigmoidForward(float[] out, float[] in) { throw new UnsupportedOperationException("sigmoid is not written yet"); }
        @Override public void sigmoidBackward(float[] dIn, float[] dOut, float[] out) { reference.sigmoidBackward(dIn, dOut, out); }
        @Override public void tanhForward(float[] out, float[] in) { reference.tanhForward(out, in); }
        @Override public void tanhBackward(float[] dIn, float[] dOut, float[] out) { reference.tanhBackward(dIn, dOut, out); }
        @Override public void reluForward(float[] out, float[] in) { reference.reluForward(out, in); }
        @Override public void reluBackward(float[] dIn, float[] dOut, float[] out) { reference.reluBackward(dIn, dOut, out); }
    }

    @Test
    void everyMutantsRerunOptionsFailAgainOnTheirCaseAlone() {
        for (Mutant mutant : Mutants.all()) {
            Conformance.OpResult failed = Conformance.run(mutant, Conformance.Settings.fromSystemProperties(), r -> {}).results().stream().filter(Conformance.OpResult::failedAny)
                    .findFirst().orElseThrow(() -> new AssertionError(mutant.id() + " survived"));
            if (failed.rerun().isEmpty()) continue; // a degenerate run names no case
            assertTrue(failed.rerun().matches("--ops \\S+:\\S+ --case \\S+ --seed -?\\d+"), failed.rerun());
            String[] words = failed.rerun().split(" ");
            OpCheck<?> check = Checks.all().stream().filter(c -> (c.op() + ":" + c.direction()).equals(words[1])).findFirst().orElseThrow();
            // a race (racy-backward-weights) need not show on every run of one case: it must show within a few
            boolean failsAgain = false;
            for (int run = 0; run < 20 && !failsAgain; run++) {
                failsAgain = rerun(check, mutant, words[3], Long.parseLong(words[5])).verdict() == Conformance.Verdict.FAIL;
            }
            assertTrue(failsAgain, mutant.id() + " " + failed.rerun());
        }
    }

    private static <S> Conformance.OpResult rerun(OpCheck<S> check, KernelSet subject, String caseName, long seed) {
        return Conformance.run(check, subject, new Case<>(CaseName.parse(Conformance.shapeType(check), caseName), seed));
    }

    @Test
    void theJUnitReportHasATestcasePerOperationWithFailuresAndSkipsAsTheyWere() throws Exception {
        List<Conformance.Report> reports = List.of(
                Conformance.run(new LoopKernels(), new Conformance.Settings(0), r -> {}),
                Conformance.run(Mutants.all().getFirst(), FEW, r -> {}),
                Conformance.Report.skipped("tornado", "no SDK <here> & \"there\""));
        StringWriter xml = new StringWriter();
        ConformanceJUnitXml.write(xml, reports);
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(new InputSource(new StringReader(xml.toString())));
        NodeList suites = doc.getElementsByTagName("testsuite");
        assertEquals(3, suites.getLength());
        Element loops = (Element) suites.item(0), mutant = (Element) suites.item(1), tornado = (Element) suites.item(2);
        assertEquals("nndl.conform.loops", loops.getAttribute("name"));
        assertEquals(String.valueOf(Checks.all().size()), loops.getAttribute("tests"));
        // the loops backend replaces the convolution (6 operations) and dense (6) families; the rest are delegated
        assertEquals(String.valueOf(Checks.all().size() - 12), loops.getAttribute("skipped"));
        assertEquals("0", loops.getAttribute("failures"));
        assertEquals(Checks.all().size(), loops.getElementsByTagName("testcase").getLength());
        assertEquals("1", mutant.getAttribute("failures"));
        Element failure = (Element) mutant.getElementsByTagName("failure").item(0);
        assertTrue(failure.getTextContent().contains("rerun it alone: nndl conform --backend mutant:padding-off-by-one --ops conv2d:forward --case n="),
                failure.getTextContent());
        assertEquals("no SDK <here> & \"there\"", ((Element) tornado.getElementsByTagName("skipped").item(0)).getAttribute("message"));
    }
}
