package org.medhub.cli.train;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.net.http.HttpRequest.BodyPublishers;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.medhub.cli.exit.CliFailure;
import org.medhub.cli.exit.ExitCode;
import org.medhub.cli.http.MedHubApi;
import org.medhub.cli.progress.ProgressBar;

/**
 * Follows one of the ML API's jobs (a FHIR cohort pull or a training run) until it ends, drawing its
 * percent and phase. Ctrl-C asks the server to cancel the job ({@code POST <job>/cancel}) and waits
 * for it to stop, so that no run goes on training unseen after the command has gone.
 */
final class Job {

    private static final Duration POLL = Duration.ofSeconds(1);
    private static final Duration CANCEL_WAIT = Duration.ofSeconds(60);

    private final MedHubApi api;
    private final String path;
    private final String what;
    private final PrintWriter err;
    private final ProgressBar bar;

    /** {@code path} is the job's resource, e.g. {@code /ml/api/training-runs/<id>}; {@code what} names it in messages. */
    Job(MedHubApi api, String path, String what, PrintWriter err, ProgressBar bar) {
        this.api = api;
        this.path = path;
        this.what = what;
        this.err = err;
        this.bar = bar;
    }

    /** The job's last status once it SUCCEEDED; a failure for FAILED (exit 1) or CANCELLED (exit 130). */
    JsonNode follow() {
        CountDownLatch ended = new CountDownLatch(1);
        AtomicReference<String> last = new AtomicReference<>();
        Thread cancelOnInterrupt = new Thread(() -> cancel(ended, last), "cancel " + what);
        Runtime.getRuntime().addShutdownHook(cancelOnInterrupt);
        JsonNode status;
        try {
            status = poll(last);
        } finally {
            bar.finish();
            ended.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(cancelOnInterrupt);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running: it has cancelled the job and now sees it ended
            }
        }
        return switch (status.path("status").asText()) {
            case "SUCCEEDED" -> status;
            case "CANCELLED" -> throw new CliFailure(ExitCode.CANCELLED, "the " + what + " was cancelled");
            default -> throw new CliFailure(ExitCode.FAILED, "the " + what + " failed: "
                    + status.path("error").asText("no reason given"));
        };
    }

    private JsonNode poll(AtomicReference<String> last) {
        while (true) {
            JsonNode status = api.get(path).expect(200, what + " status").json();
            String state = status.path("status").asText();
            last.set(state);
            bar.update(status.path("percent").asInt(0), status.path("phase").asText(state));
            if (!state.equals("QUEUED") && !state.equals("RUNNING")) {
                return status;
            }
            try {
                Thread.sleep(POLL);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CliFailure(ExitCode.CANCELLED, "interrupted while following the " + what);
            }
        }
    }

    /**
     * Runs at JVM shutdown (Ctrl-C, SIGTERM) while the job is followed, and says itself how the job
     * ended: the JVM halts when the hooks are done, maybe before the main thread's own message.
     */
    private void cancel(CountDownLatch ended, AtomicReference<String> last) {
        if (ended.getCount() == 0) {
            return;
        }
        bar.finish();
        err.println("  Cancelling the " + what + " ...");
        err.flush();
        try {
            api.post(path + "/cancel", "application/json", BodyPublishers.noBody());
            boolean stopped = ended.await(CANCEL_WAIT.toSeconds(), TimeUnit.SECONDS);
            err.println(stopped && "CANCELLED".equals(last.get())
                    ? "  The " + what + " was cancelled."
                    : "  The " + what + " did not stop within " + CANCEL_WAIT.toSeconds() + "s (last status "
                            + last.get() + "); see " + path + " on the server.");
            err.flush();
        } catch (CliFailure | InterruptedException e) {
            err.println("  Could not cancel the " + what + ": " + e.getMessage());
            err.flush();
        }
    }
}
