package dev.nndl.network.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nndl.network.data.Samples;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The confusion matrix and the most confident mistakes of five hand-made answers over three classes. */
class EvaluationTest {

    /** Images 1, 3 and 4 are wrong, 3 and 4 equally confident (0.7), 1 less so (0.6). */
    static final Predictions FIVE = new Predictions(new int[] {0, 2, 1, 0, 1}, new float[] {
        0.8f, 0.1f, 0.1f,
        0.3f, 0.1f, 0.6f,
        0.1f, 0.8f, 0.1f,
        0.7f, 0.2f, 0.1f,
        0.2f, 0.7f, 0.1f}, new int[] {0, 1, 1, 2, 2});

    /** Five blank 28 x 28 images with FIVE's labels. */
    static final Samples BLANK = new Samples() {
        @Override public int count() { return 5; }
        @Override public int label(int i) { return FIVE.labels()[i]; }
        @Override public int size() { return 28 * 28; }
        @Override public void copy(int first, int n, float[] x, long step) { java.util.Arrays.fill(x, 0, n * size(), 0); }
    };

    @Test
    void countsEachLabelsAnswersAndOrdersTheMistakesByConfidence(@TempDir Path dir) throws Exception {
        Evaluation e = new Evaluation("v0", "test", FIVE, BLANK);
        int[][] confusion = e.confusion();
        assertArrayEquals(new int[] {1, 0, 0}, confusion[0]);
        assertArrayEquals(new int[] {0, 1, 1}, confusion[1]);
        assertArrayEquals(new int[] {1, 1, 0}, confusion[2]);
        assertEquals(List.of(3, 4, 1), e.mostConfidentlyWrong(10));
        assertEquals(List.of(3), e.mostConfidentlyWrong(1));
        e.write(dir, 10);
        assertEquals(List.of("label \\ answer,0,1,2", "0,1,0,0", "1,0,1,1", "2,1,1,0"), Files.readAllLines(dir.resolve(Evaluation.CONFUSION_CSV)));
        assertEquals("1,1,2,0.6000000,0,0.3000000", Files.readAllLines(dir.resolve(Evaluation.PREDICTIONS_CSV)).get(2));
        for (String png : List.of(Evaluation.CONFUSION_PNG, Evaluation.WRONG_PNG)) assertTrue(Files.size(dir.resolve(png)) > 1000, png);
    }
}
