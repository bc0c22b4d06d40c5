package dev.nndl.aparapi;

import dev.nndl.shape.ConvShape;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The per-{@code k} tables {@link GemmKernel} reads instead of dividing: for each index along the
 * summed dimension, the offsets and coordinate steps it stands for. Computed once per direction
 * and shape and kept (the same array each call, so Aparapi also keeps its device buffer).
 */
final class ConvSteps {

    private static final Map<ConvShape, int[]> FORWARD = new ConcurrentHashMap<>(), BACKWARD_WEIGHTS = new ConcurrentHashMap<>();

    /** Backward-data's multiply reads whole planes along {@code k} and needs no table. */
    private static final int[] NONE = new int[1];

    private ConvSteps() {}

    static int[] of(int op, ConvShape s) {
        return switch (op) {
            case GemmKernel.CONV_FORWARD -> FORWARD.computeIfAbsent(s, ConvSteps::forward);
            case GemmKernel.CONV_BACKWARD_INPUT -> NONE;
            case GemmKernel.CONV_BACKWARD_WEIGHTS -> BACKWARD_WEIGHTS.computeIfAbsent(s, ConvSteps::backwardWeights);
            default -> throw new IllegalArgumentException("not a convolution: " + op);
        };
    }

    /** k = (c, i, j): the input channel's plane offset, i*DH, j*DW. */
    static int[] forward(ConvShape s) {
        int[] t = new int[s.cPerGroup() * s.kh() * s.kw() * 3];
        int k = 0;
        for (int c = 0; c < s.cPerGroup(); c++) {
            for (int i = 0; i < s.kh(); i++) {
                for (int j = 0; j < s.kw(); j++, k++) {
                    t[k * 3] = c * s.h() * s.w();
                    t[k * 3 + 1] = i * s.dh();
                    t[k * 3 + 2] = j * s.dw();
                }
            }
        }
        return t;
    }

    /** k = (n, y, x): dOut's offset n*OC*OH*OW + y*OW + x, the sample's input offset n*C*H*W, y*SH - PH, x*SW - PW. */
    static int[] backwardWeights(ConvShape s) {
        int[] t = new int[s.n() * s.oh() * s.ow() * 4];
        int k = 0;
        for (int n = 0; n < s.n(); n++) {
            for (int y = 0; y < s.oh(); y++) {
                for (int x = 0; x < s.ow(); x++, k++) {
                    t[k * 4] = n * s.oc() * s.oh() * s.ow() + y * s.ow() + x;
                    t[k * 4 + 1] = n * s.c() * s.h() * s.w();
                    t[k * 4 + 2] = y * s.sh() - s.ph();
                    t[k * 4 + 3] = x * s.sw() - s.pw();
                }
            }
        }
        return t;
    }
}
