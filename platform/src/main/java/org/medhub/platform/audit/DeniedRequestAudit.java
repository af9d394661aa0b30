package org.medhub.platform.audit;

import jakarta.servlet.http.HttpServletRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.hl7.fhir.r4.model.AuditEvent;
import org.medhub.platform.security.DeniedRequestListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Audits the requests the security layer refuses. Every refusal of an authenticated user is recorded
 * in full. Unauthenticated refusals are aggregated, because each record is a committed insert and an
 * anonymous flood would otherwise grow the database at the flood's rate: per client address and
 * window, the first few are recorded in full and the rest as one summary event at the end of the
 * window ("N denied requests from A in window W"); see {@link AnonymousDenials}.
 *
 * <p>A refusal stands if its record cannot be written: failing the 401 as well would only hide it
 * from the client.
 */
final class DeniedRequestAudit implements DeniedRequestListener, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DeniedRequestAudit.class);

    private final AuditTrail trail;
    private final Duration window;
    private final AnonymousDenials anonymous;
    private final ScheduledExecutorService summaries;

    DeniedRequestAudit(AuditTrail trail, AuditProperties.AnonymousDenials settings) {
        this.trail = trail;
        this.window = settings.window();
        this.anonymous = new AnonymousDenials(settings.recordedPerWindow(), settings.maxClients(), Instant.now());
        this.summaries = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "audit-denial-summaries");
            thread.setDaemon(true);
            return thread;
        });
        long period = window.toMillis();
        summaries.scheduleAtFixedRate(this::summarise, period, period, TimeUnit.MILLISECONDS);
    }

    @Override
    public void denied(HttpServletRequest request, int status) {
        AuditActor actor = AuditActor.current();
        if (actor.isAnonymous() && !anonymous.count(request.getRemoteAddr())) {
            return;
        }
        record(List.of(RestAuditEvents.denied(request, status, actor)), request.getMethod() + " " + request.getRequestURI());
    }

    /** Records the summaries of the window that just ended. */
    void summarise() {
        AnonymousDenials.Window closed = anonymous.close(Instant.now());
        List<AuditEvent> events = new ArrayList<>();
        closed.unrecorded().forEach((address, count) ->
                events.add(RestAuditEvents.deniedSummary(address, count, closed.start(), closed.end(), window)));
        if (closed.untrackedClients() > 0) {
            events.add(RestAuditEvents.deniedSummary(
                    RestAuditEvents.OTHER_CLIENTS, closed.untrackedClients(), closed.start(), closed.end(), window));
        }
        if (!events.isEmpty()) {
            record(events, "the summary of denied unauthenticated requests");
        }
    }

    private void record(List<AuditEvent> events, String what) {
        try {
            trail.recordAll(events);
        } catch (RuntimeException e) {
            log.error("Could not record the refusal of {} in the audit trail", what, e);
        }
    }

    /** The last window's summary is recorded on the way down, not lost. */
    @Override
    public void close() {
        summaries.shutdownNow();
        summarise();
    }
}
