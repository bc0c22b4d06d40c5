package dev.nndl.network.train;

import java.util.List;

/**
 * Nielsen's ensemble: several networks vote, and each image gets the class most of them chose
 * (plurality). A tie goes to the tied class with the larger summed probability, then to the
 * lower class. Its probabilities are the members' mean.
 */
public final class Ensemble {

    private Ensemble() {}

    public static Predictions vote(List<Predictions> members) {
        if (members.isEmpty()) throw new IllegalArgumentException("an ensemble needs at least one member");
        Predictions first = members.getFirst();
        int count = first.classes().length, classes = first.probabilities().length / count;
        for (Predictions m : members) {
            if (m.classes().length != count || !java.util.Arrays.equals(m.labels(), first.labels())) {
                throw new IllegalArgumentException("ensemble members must predict the same images");
            }
        }
        int[] predicted = new int[count];
        float[] mean = new float[count * classes];
        for (int i = 0; i < count; i++) {
            int[] votes = new int[classes];
            for (Predictions m : members) {
                votes[m.classes()[i]]++;
                for (int j = 0; j < classes; j++) mean[i * classes + j] += m.probabilities()[i * classes + j] / members.size();
            }
            int best = 0;
            for (int j = 1; j < classes; j++) {
                if (votes[j] > votes[best] || votes[j] == votes[best] && mean[i * classes + j] > mean[i * classes + best]) best = j;
            }
            predicted[i] = best;
        }
        return new Predictions(predicted, mean, first.labels());
    }
}
