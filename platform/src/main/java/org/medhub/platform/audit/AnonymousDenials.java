package org.medhub.platform.audit;

import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Counts the refused requests of unauthenticated callers per client address in the current window,
 * in bounded memory: at most {@code maxClients} addresses are told apart; the denials of any further
 * address are only counted together. The first {@code recordedPerWindow} denials of an address are
 * to be recorded in full, the rest only as a number in the window's summary.
 */
final class AnonymousDenials {

    /** What a closed window leaves to summarise: denials not recorded in full, by address. */
    record Window(Instant start, Instant end, Map<String, Long> unrecorded, long untrackedClients) {}

    private final int recordedPerWindow;
    private final int maxClients;
    private Map<String, Long> counts = new HashMap<>();
    private long untrackedClients;
    private Instant start;

    AnonymousDenials(int recordedPerWindow, int maxClients, Instant start) {
        this.recordedPerWindow = recordedPerWindow;
        this.maxClients = maxClients;
        this.start = start;
    }

    /** Counts one denial; true when it is among the address's first of this window and so recorded in full. */
    synchronized boolean count(String address) {
        Long seen = counts.get(address);
        if (seen == null && counts.size() >= maxClients) {
            untrackedClients++;
            return false;
        }
        long now = seen == null ? 1 : seen + 1;
        counts.put(address, now);
        return now <= recordedPerWindow;
    }

    /** Ends the current window at {@code end} and starts the next. */
    synchronized Window close(Instant end) {
        Map<String, Long> unrecorded = new LinkedHashMap<>();
        counts.forEach((address, count) -> {
            if (count > recordedPerWindow) {
                unrecorded.put(address, count - recordedPerWindow);
            }
        });
        Window window = new Window(start, end, unrecorded, untrackedClients);
        counts = new HashMap<>();
        untrackedClients = 0;
        start = end;
        return window;
    }
}
