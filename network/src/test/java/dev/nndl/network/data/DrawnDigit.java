package dev.nndl.network.data;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.util.Random;

/**
 * A handwritten-looking 7 drawn with Java2D, not taken from MNIST: thick dark strokes on
 * off-white paper with a faint grain, 180 x 240 pixels, the digit off-centre (low and to the
 * right). {@code docs/digit.png} is this picture; {@code DigitImagesTest} checks that it still
 * is. Drawn without antialiasing, so that the pixels depend on the geometry alone.
 */
public final class DrawnDigit {

    public static final int WIDTH = 180, HEIGHT = 240;

    private DrawnDigit() {}

    public static BufferedImage seven() {
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Random grain = new Random(7);
        for (int y = 0; y < HEIGHT; y++) {
            for (int x = 0; x < WIDTH; x++) {
                int g = grain.nextInt(9) - 4;
                image.setRGB(x, y, new Color(243 + g, 240 + g, 230 + g).getRGB());
            }
        }
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_OFF);
        g.setColor(new Color(0x2a, 0x2c, 0x3a));
        g.setStroke(new BasicStroke(15, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        Path2D.Double seven = new Path2D.Double();
        seven.moveTo(62, 92);                       // the top bar, rising a little to the right
        seven.quadTo(100, 84, 148, 88);
        seven.quadTo(126, 130, 112, 170);           // the down stroke, bowed
        seven.quadTo(104, 196, 101, 218);
        g.draw(seven);
        g.setStroke(new BasicStroke(11, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        g.drawLine(100, 152, 140, 148);             // the continental cross bar
        g.dispose();
        return image;
    }
}
