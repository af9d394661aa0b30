package org.medhub.cli.progress;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ProgressBarTest {

    private final AtomicLong now = new AtomicLong();
    private final StringWriter written = new StringWriter();

    @Test
    void aBarShowsTheDoneCellsThePercentTheLabelAndTheTimeLeft() {
        assertThat(ProgressBar.render(40, "training XGBOOST", Duration.ofSeconds(80)).stripTrailing())
                .isEqualTo("  [############..................]  40%  training XGBOOST"
                        + " ".repeat(24) + "  1:20, about 2:00 left");
        assertThat(ProgressBar.render(0, "QUEUED", Duration.ZERO)).startsWith("  [" + ".".repeat(30) + "]   0%  QUEUED");
        assertThat(ProgressBar.render(100, "done", Duration.ofSeconds(3725)).stripTrailing()).endsWith("done"
                + " ".repeat(36) + "  1:02:05");
    }

    @Test
    void longLabelsAreCut() {
        String label = "x".repeat(60);
        assertThat(ProgressBar.render(5, label, Duration.ZERO)).contains("x".repeat(37) + "...  ");
    }

    @Test
    void onATerminalTheLineIsRedrawnInPlaceAndEndedOnce() {
        ProgressBar bar = new ProgressBar(new PrintWriter(written), true, now::get);
        bar.update(10, "pulling");
        now.addAndGet(Duration.ofSeconds(5).toNanos());
        bar.update(150, "done");
        bar.finish();
        bar.finish();
        String text = written.toString();
        assertThat(text).startsWith("\r  [###").contains("\r  [" + "#".repeat(30) + "] 100%  done");
        assertThat(text.split(System.lineSeparator(), -1)).hasSize(2).endsWith("");
    }

    @Test
    void inALogALineIsWrittenPerPhaseAndPerTenth() {
        ProgressBar bar = new ProgressBar(new PrintWriter(written), false, now::get);
        bar.update(1, "fold 1");
        bar.update(5, "fold 1");
        bar.update(12, "fold 1");
        bar.update(13, "fold 2");
        bar.update(100, "SUCCEEDED");
        bar.finish();
        assertThat(written.toString().lines().map(line -> line.replaceFirst("^.*%  ", "").split(" {2,}")[0]))
                .containsExactly("fold 1", "fold 1", "fold 2", "SUCCEEDED");
        assertThat(written.toString()).doesNotContain("\r");
    }
}
