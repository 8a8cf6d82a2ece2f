package io.rookery.node.command;

import java.nio.charset.StandardCharsets;
import java.util.Random;

/**
 * LOLWUT's computer art as Redis 7.0 draws it (lolwut.c, lolwut5.c, lolwut6.c): version 5 is Georg
 * Nees's "Schotter", squares that rotate and shift more the lower their row, rendered in Braille
 * characters (2x4 pixels each); version 6 is a city skyline in four grays drawn with ANSI colors. The
 * geometry follows Redis's integer and float arithmetic step by step, so that the parts without
 * randomness (the first two rows of squares) come out identical; the random parts come from
 * {@code random}, as Redis's come from its seeded libc rand().
 */
final class Lolwut {
    private final Random random;

    Lolwut(Random random) {
        this.random = random;
    }

    /** A canvas of small integer colors. */
    static final class Canvas {
        final int width;
        final int height;
        final byte[] pixels;

        Canvas(int width, int height, int background) {
            this.width = width;
            this.height = height;
            this.pixels = new byte[width * height];
            java.util.Arrays.fill(pixels, (byte) background);
        }

        void draw(int x, int y, int color) {
            if (x >= 0 && x < width && y >= 0 && y < height) {
                pixels[x + y * width] = (byte) color;
            }
        }

        int get(int x, int y) {
            return x < 0 || x >= width || y < 0 || y >= height ? 0 : pixels[x + y * width];
        }

        /** Bresenham's line, as lwDrawLine. */
        void line(int x1, int y1, int x2, int y2, int color) {
            int dx = Math.abs(x2 - x1);
            int dy = Math.abs(y2 - y1);
            int sx = x1 < x2 ? 1 : -1;
            int sy = y1 < y2 ? 1 : -1;
            int err = dx - dy;
            while (true) {
                draw(x1, y1, color);
                if (x1 == x2 && y1 == y2) {
                    break;
                }
                int e2 = err * 2;
                if (e2 > -dy) {
                    err -= dy;
                    x1 += sx;
                }
                if (e2 < dx) {
                    err += dx;
                    y1 += sy;
                }
            }
        }

        /** A square of side {@code size} centred on x,y and rotated by {@code angle}, as lwDrawSquare. */
        void square(int x, int y, float size, float angle, int color) {
            int[] px = new int[4];
            int[] py = new int[4];
            size = (float) (size / 1.4142135623);
            size = (float) cRound(size);
            float k = (float) (Math.PI / 4 + angle);
            for (int j = 0; j < 4; j++) {
                px[j] = (int) cRound(Math.sin(k) * size + x);
                py[j] = (int) cRound(Math.cos(k) * size + y);
                k = (float) (k + Math.PI / 2);
            }
            for (int j = 0; j < 4; j++) {
                line(px[j], py[j], px[(j + 1) % 4], py[(j + 1) % 4], color);
            }
        }
    }

    /** C's round(): halves away from zero. */
    static double cRound(double v) {
        return v < 0 ? -Math.floor(-v + 0.5) : Math.floor(v + 0.5);
    }

    /** libc rand() in [0, RAND_MAX]. */
    private int rand() {
        return random.nextInt(Integer.MAX_VALUE);
    }

    // ---------------------------------------------------------------- version 5

    /** lwDrawSchotter: {@code cols} console columns, a grid of squares. */
    Canvas schotter(int cols, int perRow, int perCol) {
        int width = cols * 2;
        int padding = width > 4 ? 2 : 0;
        float side = (float) (width - padding * 2) / perRow;
        int height = (int) (side * perCol + padding * 2);
        Canvas canvas = new Canvas(width, height, 0);
        for (int y = 0; y < perCol; y++) {
            for (int x = 0; x < perRow; x++) {
                int sx = (int) (x * side + side / 2 + padding);
                int sy = (int) (y * side + side / 2 + padding);
                float angle = 0;
                if (y > 1) {
                    float r1 = (float) rand() / (float) Integer.MAX_VALUE / perCol * y;
                    float r2 = (float) rand() / (float) Integer.MAX_VALUE / perCol * y;
                    float r3 = (float) rand() / (float) Integer.MAX_VALUE / perCol * y;
                    if (rand() % 2 == 1) {
                        r1 = -r1;
                    }
                    if (rand() % 2 == 1) {
                        r2 = -r2;
                    }
                    if (rand() % 2 == 1) {
                        r3 = -r3;
                    }
                    angle = r1;
                    sx = (int) (sx + r2 * side / 3);
                    sy = (int) (sy + r3 * side / 3);
                }
                canvas.square(sx, sy, side, angle, 1);
            }
        }
        return canvas;
    }

    /** Version 5's rendering: one Braille character per 2x4 pixels (lolwut5.c's renderCanvas). */
    static String braille(Canvas c) {
        StringBuilder text = new StringBuilder();
        for (int y = 0; y < c.height; y += 4) {
            for (int x = 0; x < c.width; x += 2) {
                int bits = 0;
                bits |= c.get(x, y) != 0 ? 1 : 0;
                bits |= c.get(x, y + 1) != 0 ? 1 << 1 : 0;
                bits |= c.get(x, y + 2) != 0 ? 1 << 2 : 0;
                bits |= c.get(x + 1, y) != 0 ? 1 << 3 : 0;
                bits |= c.get(x + 1, y + 1) != 0 ? 1 << 4 : 0;
                bits |= c.get(x + 1, y + 2) != 0 ? 1 << 5 : 0;
                bits |= c.get(x, y + 3) != 0 ? 1 << 6 : 0;
                bits |= c.get(x + 1, y + 3) != 0 ? 1 << 7 : 0;
                text.append((char) (0x2800 + bits));
            }
            if (y != c.height - 1) {
                text.append('\n');
            }
        }
        return text.toString();
    }

    // ---------------------------------------------------------------- version 6

    /** lolwut6.c's skyline on a white canvas of {@code cols} x {@code rows}. */
    Canvas skyline(int cols, int rows) {
        Canvas canvas = new Canvas(cols, rows, 3);
        for (int color = 2; color >= 1; color--) {
            for (int offset = -10; offset < canvas.width;) {
                offset += rand() % 8;
                int width = 10 + rand() % 9;
                int height = color == 2 ? canvas.height / 2 + rand() % canvas.height / 2
                        : canvas.height / 2 + rand() % canvas.height / 3;
                skyscraper(canvas, offset, width, height, false, color);
                offset += color == 2 ? width / 2 : width + 1;
            }
        }
        for (int offset = -10; offset < canvas.width;) {
            offset += rand() % 8;
            int width = 5 + rand() % 14;
            if (width % 4 != 0) {
                width += width % 3;
            }
            int height = canvas.height / 3 + rand() % canvas.height / 2;
            skyscraper(canvas, offset, width, height, true, 0);
            offset += width + 5;
        }
        return canvas;
    }

    private void skyscraper(Canvas canvas, int xoff, int width, int height, boolean windows, int baseColor) {
        int starty = canvas.height - 1;
        int endy = starty - height + 1;
        for (int y = starty; y >= endy; y--) {
            for (int x = xoff; x < xoff + width; x++) {
                if (y == endy && (x <= xoff + 1 || x >= xoff + width - 2)) {
                    continue; // the roof is four pixels narrower
                }
                int color = baseColor;
                if (windows && x > xoff + 1 && x < xoff + width - 2 && y > endy + 1 && y < starty - 1) {
                    int relx = x - (xoff + 1);
                    int rely = y - (endy + 1);
                    if (relx / 2 % 2 != 0 && rely % 2 != 0) {
                        do {
                            color = 1 + rand() % 2;
                        } while (color == baseColor);
                        if (relx % 2 != 0) {
                            color = canvas.get(x - 1, y);
                        }
                    }
                }
                canvas.draw(x, y, color);
            }
        }
    }

    /** Version 6's rendering: one space per pixel, with foreground and background set to its gray. */
    static String ansi(Canvas c) {
        StringBuilder text = new StringBuilder();
        for (int y = 0; y < c.height; y++) {
            for (int x = 0; x < c.width; x++) {
                String ce = switch (c.get(x, y)) {
                    case 1 -> "0;90;100m";
                    case 2 -> "0;37;47m";
                    case 3 -> "0;97;107m";
                    default -> "0;30;40m";
                };
                text.append("\033[").append(ce).append(" \033[0m");
            }
            if (y != c.height - 1) {
                text.append('\n');
            }
        }
        return text.toString();
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
