package dev.assay.tasks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/**
 * Writes a batch of images as one PNG grid (javax.imageio, no other library): image {@code i}
 * goes to row {@code i / columns}, column {@code i % columns}, with no spacing, so the PNG is
 * {@code columns·width} pixels wide and {@code ceil(n / columns)·height} pixels high. Values are
 * clipped to {@code [0, 1]} and scaled to 0-255; one channel gives a greyscale PNG, three an RGB
 * PNG; other channel counts show channel 0 in grey. Empty cells (when {@code n} is not a multiple
 * of {@code columns}) are black.
 */
public final class ImageGrid {

    private ImageGrid() {}

    /**
     * Writes the grid, creating parent directories.
     *
     * @param images float images {@code (n, channels, height, width)}, values meant in [0, 1]
     * @param columns images per row (≥ 1)
     * @param file the PNG file to write
     * @throws IOException if the file cannot be written
     * @throws IllegalArgumentException if {@code images} is not 4-dimensional or empty, or
     *     {@code columns < 1}
     */
    public static void write(NDArray images, int columns, Path file) throws IOException {
        Shape s = images.getShape();
        if (s.dimension() != 4 || s.get(0) == 0 || columns < 1) {
            throw new IllegalArgumentException("an image grid needs images shaped (n, channels,"
                    + " height, width) with n >= 1 and columns >= 1, got " + s + " and " + columns);
        }
        BufferedImage grid = render(images.toFloatArray(), s, columns);
        if (file.getParent() != null) {
            Files.createDirectories(file.getParent());
        }
        if (!ImageIO.write(grid, "png", file.toFile())) {
            throw new IOException("no PNG writer available to write " + file);
        }
    }

    private static BufferedImage render(float[] v, Shape s, int columns) {
        int n = (int) s.get(0);
        int c = (int) s.get(1);
        int h = (int) s.get(2);
        int w = (int) s.get(3);
        int rows = (n + columns - 1) / columns;
        boolean rgb = c == 3;
        BufferedImage img = new BufferedImage(columns * w, rows * h,
                rgb ? BufferedImage.TYPE_INT_RGB : BufferedImage.TYPE_BYTE_GRAY);
        for (int i = 0; i < n; i++) {
            int x0 = (i % columns) * w;
            int y0 = (i / columns) * h;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int base = ((i * c) * h + y) * w + x;
                    int plane = h * w;
                    int grey = byteOf(v[base]);
                    int rgbValue = rgb ? (grey << 16) | (byteOf(v[base + plane]) << 8)
                            | byteOf(v[base + 2 * plane]) : (grey << 16) | (grey << 8) | grey;
                    img.setRGB(x0 + x, y0 + y, rgbValue);
                }
            }
        }
        return img;
    }

    private static int byteOf(float value) {
        float clipped = Float.isNaN(value) ? 0f : Math.max(0f, Math.min(1f, value));
        return Math.round(clipped * 255f);
    }
}
