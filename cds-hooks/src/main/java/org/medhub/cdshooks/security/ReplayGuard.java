package org.medhub.cdshooks.security;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Remembers each {@code jti} (per issuer) until its token expires, so that a captured token cannot
 * be sent again (CDS Hooks 2.0: the {@code jti} is a nonce). Per process: behind a load balancer
 * without sticky sessions a replay to another node is not caught (docs/cds-hooks.md, "Client JWT").
 */
final class ReplayGuard {

    /** Above this many remembered tokens, expired ones are dropped on the next insert. */
    private static final int PURGE_ABOVE = 10_000;

    private final Map<String, Instant> seen = new ConcurrentHashMap<>();
    private final Clock clock;

    ReplayGuard(Clock clock) {
        this.clock = clock;
    }

    /** Whether this is the first use of the token; remembers it until {@code forgetAfter}. */
    boolean firstUse(String issuer, String jti, Instant forgetAfter) {
        if (seen.size() > PURGE_ABOVE) {
            Instant now = clock.instant();
            seen.values().removeIf(until -> until.isBefore(now));
        }
        return seen.putIfAbsent(issuer.length() + ":" + issuer + jti, forgetAfter) == null;
    }
}
