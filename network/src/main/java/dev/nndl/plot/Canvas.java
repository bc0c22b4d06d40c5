package dev.nndl.plot;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import javax.imageio.ImageIO;

/** What every chart of the suite draws with: a white antialiased canvas, a title, centred labels, nice tick steps, PNG bytes. Headless. */
public final class Canvas {

    static {
        System.setProperty("java.awt.headless", "true");
    }

    private Canvas() {}

    /** A white, antialiased drawing surface over {@code image}, in a 12-point sans-serif font. */
    public static Graphics2D white(BufferedImage image) {
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, image.getWidth(), image.getHeight());
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        return g;
    }

    /** A bold title and a grey subtitle at the top left; a title too wide for the image ends in an ellipsis. */
    public static void title(Graphics2D g, String title, String subtitle) {
        g.setColor(Color.BLACK);
        g.setFont(g.getFont().deriveFont(Font.BOLD, 15f));
        int room = g.getDeviceConfiguration().getBounds().width - 24;
        String shown = title;
        while (shown.length() > 1 && g.getFontMetrics().stringWidth(shown) > room) shown = shown.substring(0, shown.length() - 2) + "…";
        g.drawString(shown, 12, 26);
        g.setFont(g.getFont().deriveFont(Font.PLAIN, 12f));
        g.setColor(Color.DARK_GRAY);
        g.drawString(subtitle, 12, 46);
    }

    /** {@code text} centred on {@code x}, its baseline at {@code y}. */
    public static void centered(Graphics2D g, String text, double x, double y) {
        g.drawString(text, (int) Math.round(x - g.getFontMetrics().stringWidth(text) / 2.0), (int) Math.round(y));
    }

    /** 1, 2 or 5 times a power of ten, giving about five to ten ticks over {@code range}. */
    public static double niceStep(double range) {
        if (!(range > 0)) return 1;
        double raw = range / 6, power = Math.pow(10, Math.floor(Math.log10(raw))), m = raw / power;
        return power * (m < 1.5 ? 1 : m < 3.5 ? 2 : m < 7.5 ? 5 : 10);
    }

    public static byte[] png(BufferedImage image) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        if (!ImageIO.write(image, "png", bytes)) throw new IOException("this Java has no PNG writer");
        return bytes.toByteArray();
    }
}
