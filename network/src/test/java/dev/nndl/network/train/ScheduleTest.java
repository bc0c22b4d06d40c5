package dev.nndl.network.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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

    @Test
    void theConstantScheduleIsNetwork3s() {
        assertEquals(0.1f, Schedule.parse("constant").eta(0.1f, validation(90, 80, 70)));
    }

    @Test
    void specsReadBackAndNonsenseIsRefused() {
        for (String spec : List.of("constant", "plateau:10:1", "plateau:2.5:3")) assertEquals(spec, Schedule.parse(spec).spec());
        for (String bad : List.of("", "step", "plateau:10", "plateau:1:1", "plateau:10:0", "plateau:x:1")) {
            assertThrows(IllegalArgumentException.class, () -> Schedule.parse(bad), bad);
        }
    }
}
