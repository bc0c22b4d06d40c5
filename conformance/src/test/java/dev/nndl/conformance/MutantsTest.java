package dev.nndl.conformance;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nndl.conformance.mutants.Mutant;
import dev.nndl.conformance.mutants.Mutants;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The contract is worth something only if it rejects subtly wrong kernels: every mutant must fail
 * the operation its bug is in, with a message that says where. Prints the kill table.
 */
class MutantsTest {

    @Test
    void theContractKillsEveryMutantWhereItsBugIs() {
        assertTrue(Mutants.all().size() >= 12, "the contract kills at least 12 mutants, one per kind of mistake it guards against");
        List<String[]> table = new ArrayList<>();
        List<String> survivors = new ArrayList<>();
        for (Mutant mutant : Mutants.all()) {
            Conformance.Report report = Conformance.run(mutant, Conformance.Settings.fromSystemProperties(), r -> {});
            List<Conformance.OpResult> killers = report.results().stream().filter(Conformance.OpResult::failedAny).toList();
            String killedBy = String.join(", ", killers.stream().map(r -> r.op() + " " + r.direction() + " (" + r.failed() + "/" + r.cases() + ")").toList());
            String message = killers.isEmpty() ? "" : killers.getFirst().firstFailure();
            table.add(new String[] {mutant.id(), killedBy.isEmpty() ? "SURVIVED" : killedBy, abbreviate(message, 160)});
            boolean killedWhereItsBugIs = killers.stream().anyMatch(r -> (r.op() + " " + r.direction()).equals(mutant.target()));
            if (!killedWhereItsBugIs) survivors.add(mutant.id() + " (bug in " + mutant.target() + ": " + mutant.bug() + ")");
        }
        System.out.println(render(table));
        assertTrue(survivors.isEmpty(), "mutants the contract did not kill in the operation they break: " + survivors);
    }

    private static String abbreviate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 3) + "...";
    }

    private static String render(List<String[]> rows) {
        int idWidth = rows.stream().mapToInt(r -> r[0].length()).max().orElse(0);
        StringBuilder b = new StringBuilder("\nmutant kill table\n");
        for (String[] r : rows) {
            b.append(String.format("  %-" + idWidth + "s  killed by: %s%n  %" + idWidth + "s  first failure: %s%n", r[0], r[1], "", r[2]));
        }
        return b.toString();
    }
}
