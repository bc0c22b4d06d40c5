package dev.nndl.network.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScheduleTest {

    private static List<Epoch> validation(double... accuracies) {
        List<Epoch> history = new ArrayList<>();
        for (int i = 0; i < accuracies.length; i++) history.add(new Epoch(i + 1, 1, accuracies[i], accuracies[i], 1, 1, 1));
        return history;
    }

    @Test
    void aPlateauDividesTheRateOncePerStretchWithoutABetterValidationAccuracy() {
        Schedule alexNet = Schedule.parse("plateau");
        assertEquals(new Schedule.DivideOnPlateau(10, 1), alexNet);
        assertEquals(0.01f, alexNet.eta(0.01f, validation()));
        assertEquals(0.01f, alexNet.eta(0.01f, validation(50, 60, 70)));
        assertEquals(0.001f, alexNet.eta(0.01f, validation(50, 60, 60)), 1e-9f, "equal is not better");
        assertEquals(0.0001f, alexNet.eta(0.01f, validation(50, 60, 55, 58)), 1e-10f, "two epochs below the best: two divisions");
        assertEquals(0.001f, alexNet.eta(0.01f, validation(50, 60, 55, 61)), 1e-9f, "a new best stops the dividing, not what came before");
        Schedule patient = Schedule.parse("plateau:2:3");
        assertEquals(0.5f, patient.eta(1, validation(50, 49, 48, 47)));
        assertEquals(1f, patient.eta(1, validation(50, 49, 48, 51)));
    }

    /** 4 % less every 8 epochs: epochs 1-8 at eta, 9-16 at 0.96 eta; validation accuracy plays no part. */
    @Test
    void aStepScheduleMultipliesTheRateAfterEveryStretchOfEpochs() {
        Schedule googLeNet = Schedule.parse("step:0.96:8");
        assertEquals(new Schedule.StepDecay(0.96f, 8), googLeNet);
        assertEquals(0.01f, googLeNet.eta(0.01f, validation()));
        assertEquals(0.01f, googLeNet.eta(0.01f, validation(1, 2, 3, 4, 5, 6, 7)), "the eighth epoch still at eta");
        assertEquals(0.0096f, googLeNet.eta(0.01f, validation(1, 2, 3, 4, 5, 6, 7, 8)), 1e-9f, "the ninth at 0.96 eta");
        assertEquals(0.0096f, googLeNet.eta(0.01f, validation(9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9)), 1e-9f, "a plateau divides nothing");
        assertEquals(0.25f, Schedule.parse("step:0.5:1").eta(1, validation(50, 60)));
    }

    @Test
    void theConstantScheduleIsNetwork3s() {
        assertEquals(0.1f, Schedule.parse("constant").eta(0.1f, validation(90, 80, 70)));
    }

    @Test
    void specsReadBackAndNonsenseIsRefused() {
        for (String spec : List.of("constant", "plateau:10:1", "plateau:2.5:3", "step:0.96:8", "step:0.5:1")) assertEquals(spec, Schedule.parse(spec).spec());
        for (String bad : List.of("", "step", "plateau:10", "plateau:1:1", "plateau:10:0", "plateau:x:1",
                "step:0.96", "step:1:8", "step:0:8", "step:-0.5:8", "step:0.96:0", "step:nan:8", "step:0.96:8:")) {
            assertThrows(IllegalArgumentException.class, () -> Schedule.parse(bad), bad);
        }
    }

    /** Any spec made of the grammar's pieces parses or is refused with the accepted forms; ":" used to index past an empty split. */
    @Test
    void everyMalformedSpecIsRefusedWithTheAcceptedForms() {
        String[] pieces = {"", ":", "plateau", "step", "constant", "10", "0", "-1", "1.5", "nan", "x", " "};
        dev.nndl.testing.Gen<String> specs = new dev.nndl.testing.Gen<>() {
            @Override
            public String draw(java.util.Random random) {
                StringBuilder s = new StringBuilder();
                for (int n = random.nextInt(6); n > 0; n--) s.append(pieces[random.nextInt(pieces.length)]);
                return s.toString();
            }

            @Override
            public List<String> edges() {
                return List.of(":", "::", "plateau:", "plateau::", ":10:1", "constant:", "plateau:nan:1", "plateau:10:1:", "step:", "step::", "step:1.5:8", "step:0.96:8:");
            }
        };
        dev.nndl.testing.Property.check("schedule specs", 500, specs, spec -> {
            try {
                Schedule.parse(spec);
            } catch (IllegalArgumentException e) {
                assertTrue(e.getMessage().startsWith("schedule '" + spec + "' is not constant, plateau, or plateau:FACTOR:PATIENCE (FACTOR a number above 1"),
                        e.getMessage());
            }
        });
    }
}
