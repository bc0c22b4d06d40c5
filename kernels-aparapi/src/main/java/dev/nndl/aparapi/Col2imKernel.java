package dev.nndl.aparapi;

import com.aparapi.Kernel;

/**
 * The second half of a convolution's backward-data pass. {@link GemmKernel} first multiplies the
 * transposed weights by {@code dOut}, giving for every sample, group, input channel and filter tap
 * {@code (c, i, j)} the gradient that tap sends back from every output pixel {@code (y, x)}:
 * {@code columns[n, g, (c, i, j), (y, x)]}. A work-item here computes one input gradient by
 * gathering, over the taps, the columns of the output pixels that saw its pixel through that tap:
 * <pre>
 *   dIn[n, g*Cg + c, ih, iw] = sum_{i,j} columns[n, g, (c, i, j), ((ih + PH - i*DH)/SH, (iw + PW - j*DW)/SW)]
 * </pre>
 * over the taps whose divisions are exact and land inside the output. (The reverse, each column
 * adding into the pixels it came from, would have work-items writing one element together.) This
 * splits the sum of {@code OCg * KH * KW} products that backward-data is into a dense multiply
 * and a short gather; gathering {@code dOut} directly, as the forward multiply gathers the input,
 * wastes most of its work on a strided convolution, where most taps miss every output pixel.
 */
final class Col2imKernel extends Kernel {

    float[] columns = new float[1], dIn = new float[1];
    int size, c, h, w, oh, ow, kh, kw, sh, sw, ph, pw, dh, dw, groups, cg;

    @Override
    public void run() {
        int e = getGlobalId(0);
        if (e < size) {
            // e = ((n*C + channel)*H + ih)*W + iw
            int iw = e % w, ih = e / w % h, channel = e / (h * w) % c, n = e / (c * h * w);
            int g = channel / cg, taps = kh * kw, plane = oh * ow;
            int first = ((n * groups + g) * cg + channel % cg) * taps * plane;
            float sum = 0f;
            for (int i = 0; i < kh; i++) {
                int ys = ih + ph - i * dh;
                if (ys >= 0 && ys % sh == 0 && ys / sh < oh) {
                    for (int j = 0; j < kw; j++) {
                        int xs = iw + pw - j * dw;
                        if (xs >= 0 && xs % sw == 0 && xs / sw < ow) {
                            sum += columns[first + (i * kw + j) * plane + ys / sh * ow + xs / sw];
                        }
                    }
                }
            }
            dIn[e] = sum;
        }
    }
}
