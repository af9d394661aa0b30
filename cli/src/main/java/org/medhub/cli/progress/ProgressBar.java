package org.medhub.cli.progress;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * A job's progress on standard error. On a terminal one line is redrawn in place
 * ({@code [#########...........]  42%  training XGBOOST  1:05, about 1:30 left}); into a file or a
 * pipe (the console log of {@code ./medhub up}, a CI log) a line is written only when the phase
 * changes or another tenth is done, so the log stays readable.
 */
public final class ProgressBar {

    static final int WIDTH = 30;
    private static final int LABEL_WIDTH = 40;

    private final PrintWriter out;
    private final boolean redraw;
    private final LongSupplier nanoTime;
    private final long started;
    private String lastLabel;
    private int lastTenth = -1;
    private boolean drawn;

    public ProgressBar(PrintWriter out, boolean redraw, LongSupplier nanoTime) {
        this.out = out;
        this.redraw = redraw;
        this.nanoTime = nanoTime;
        this.started = nanoTime.getAsLong();
    }

    /** Draws {@code percent} (clamped to 0..100) and what the job is doing now. */
    public void update(int percent, String label) {
        int clamped = Math.max(0, Math.min(100, percent));
        Duration elapsed = Duration.ofNanos(nanoTime.getAsLong() - started);
        if (redraw) {
            out.print("\r" + render(clamped, label, elapsed));
            drawn = true;
        } else if (!label.equals(lastLabel) || clamped / 10 != lastTenth) {
            out.println(render(clamped, label, elapsed).stripTrailing());
        }
        lastLabel = label;
        lastTenth = clamped / 10;
        out.flush();
    }

    /** Ends the redrawn line so that what follows starts on its own. */
    public void finish() {
        if (drawn) {
            out.println();
            out.flush();
            drawn = false;
        }
    }

    /** One bar: 30 cells, the percent, the label cut or padded to 40 characters, time spent and left. */
    static String render(int percent, String label, Duration elapsed) {
        int filled = percent * WIDTH / 100;
        String bar = "#".repeat(filled) + ".".repeat(WIDTH - filled);
        String time = clock(elapsed);
        if (percent > 0 && percent < 100) {
            time += ", about " + clock(elapsed.multipliedBy(100 - percent).dividedBy(percent)) + " left";
        }
        String shown = label.length() > LABEL_WIDTH ? label.substring(0, LABEL_WIDTH - 3) + "..." : label;
        return String.format("  [%s] %3d%%  %-" + LABEL_WIDTH + "s  %-24s", bar, percent, shown, time);
    }

    /** m:ss, or h:mm:ss past an hour. */
    static String clock(Duration duration) {
        long seconds = duration.toSeconds();
        return seconds >= 3600
                ? String.format("%d:%02d:%02d", seconds / 3600, seconds % 3600 / 60, seconds % 60)
                : String.format("%d:%02d", seconds / 60, seconds % 60);
    }
}
