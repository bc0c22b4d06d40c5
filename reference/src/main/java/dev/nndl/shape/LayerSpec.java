package dev.nndl.shape;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Parses the command line's layer specs; see {@link Architecture#parse}. */
final class LayerSpec {

    private static final Set<String> ACTIVATIONS = Set.of("relu", "sigmoid", "tanh");

    static final String GRAMMAR = "conv:FILTERS:K[:sS][:pP][:dD][:gG][:ACT], pool:K[:sS][:pP], avgpool:K[:sS][:pP][:exclude], lppool:K[...], "
            + "fc:N[:ACT], softmax:N, lrn[:SIZE], dropout[:P], lstm:HIDDEN, rnn:HIDDEN, inception:1X1:3X3REDUCE:3X3:5X5REDUCE:5X5:POOLPROJ (ACT: relu, sigmoid, tanh)";

    private LayerSpec() {}

    static Layer parse(String spec, int index) {
        List<String> parts = Arrays.asList(spec.toLowerCase(Locale.ROOT).split(":"));
        String kind = parts.getFirst();
        try {
            return switch (kind) {
                case "conv" -> {
                    Options o = options(parts, 3, spec);
                    yield new Layer.Conv("conv" + index, number(parts, 1, "FILTERS"), number(parts, 2, "K"),
                            o.get('s', 1), o.get('p', 0), o.get('d', 1), o.get('g', 1), o.activation);
                }
                case "pool", "maxpool", "avgpool", "lppool" -> {
                    Options o = options(parts, 2, spec);
                    int k = number(parts, 1, "K");
                    String poolKind = kind.equals("pool") ? "max" : kind.substring(0, kind.length() - 4);
                    yield new Layer.Pool("pool" + index, poolKind, k, o.get('s', k), o.get('p', 0), o.exclude);
                }
                case "fc", "softmax" -> {
                    Options o = options(parts, 2, spec);
                    yield new Layer.FullyConnected((kind.equals("fc") ? "fc" : "softmax") + index, number(parts, 1, "N"),
                            kind.equals("softmax") ? "softmax" : o.activation);
                }
                case "lrn" -> new Layer.Lrn("lrn" + index, parts.size() > 1 ? number(parts, 1, "SIZE") : 5);
                case "inception" -> {
                    if (parts.size() != 7) throw new IllegalArgumentException("an inception module takes six widths, GoogLeNet's Table 1 columns");
                    yield new Layer.Inception("inception" + index, number(parts, 1, "1X1"), number(parts, 2, "3X3REDUCE"), number(parts, 3, "3X3"),
                            number(parts, 4, "5X5REDUCE"), number(parts, 5, "5X5"), number(parts, 6, "POOLPROJ"));
                }
                case "lstm", "rnn" -> new Layer.Recurrent(kind + index, RecurrentShape.Cell.valueOf(kind.toUpperCase(Locale.ROOT)), number(parts, 1, "HIDDEN"));
                case "dropout" -> {
                    float p = parts.size() > 1 ? Float.parseFloat(parts.get(1)) : 0.5f;
                    if (!(p >= 0 && p < 1)) throw new IllegalArgumentException("P, the probability of dropping a unit, is " + parts.get(1) + ": use 0 to below 1");
                    yield new Layer.Dropout("dropout" + index, p);
                }
                default -> throw new IllegalArgumentException("unknown layer kind '" + kind + "'");
            };
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("layer " + index + " '" + spec + "': P is '" + parts.get(1) + "', not a number; expected " + GRAMMAR);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("layer " + index + " '" + spec + "': " + e.getMessage() + "; expected " + GRAMMAR);
        }
    }

    /** Field {@code i}, called {@code field} in the grammar: a whole number from 1. */
    private static int number(List<String> parts, int i, String field) {
        if (parts.size() <= i) throw new IllegalArgumentException("missing " + field);
        return wholeNumber(parts.get(i), field, 1);
    }

    private static int wholeNumber(String text, String field, int min) {
        int n;
        try {
            n = Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(field + " is '" + text + "', not a whole number");
        }
        if (n < min) throw new IllegalArgumentException(field + " is " + n + ": use " + min + " or more");
        return n;
    }

    private record Options(int[] values, String activation, boolean exclude) {
        int get(char key, int fallback) {
            return values[key] >= 0 ? values[key] : fallback;
        }
    }

    /** Options after the positional numbers: sN, pN, dN, gN, an activation name, or "exclude" (average pooling's padding). */
    private static Options options(List<String> parts, int from, String spec) {
        int[] values = new int[128];
        Arrays.fill(values, -1);
        String activation = "";
        boolean exclude = false;
        for (String part : parts.subList(Math.min(from, parts.size()), parts.size())) {
            if (ACTIVATIONS.contains(part)) {
                activation = part;
            } else if (part.equals("exclude")) {
                exclude = true;
            } else if (part.length() > 1 && "spdg".indexOf(part.charAt(0)) >= 0 && part.substring(1).matches("-?[0-9]+")) {
                char key = part.charAt(0);
                values[key] = wholeNumber(part.substring(1), switch (key) { case 's' -> "the stride s"; case 'p' -> "the padding p";
                    case 'd' -> "the dilation d"; default -> "the groups g"; }, key == 'p' ? 0 : 1);
            } else {
                throw new IllegalArgumentException("unknown option '" + part + "' (options: sSTRIDE, pPADDING, dDILATION, gGROUPS, an activation, or exclude for average pooling)");
            }
        }
        return new Options(values, activation, exclude);
    }
}
