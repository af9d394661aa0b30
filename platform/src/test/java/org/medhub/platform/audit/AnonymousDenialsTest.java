package org.medhub.platform.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AnonymousDenialsTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void theFirstDenialsOfAnAddressAreRecordedInFullAndTheRestCountedForTheSummary() {
        AnonymousDenials denials = new AnonymousDenials(2, 10, T0);
        int recorded = 0;
        for (int i = 0; i < 500; i++) {
            recorded += denials.count("192.0.2.1") ? 1 : 0;
        }
        recorded += denials.count("192.0.2.2") ? 1 : 0;

        AnonymousDenials.Window window = denials.close(T0.plusSeconds(60));

        assertThat(recorded).isEqualTo(3);
        assertThat(window.unrecorded()).isEqualTo(Map.of("192.0.2.1", 498L));
        assertThat(window.untrackedClients()).isZero();
        assertThat(window.start()).isEqualTo(T0);
        assertThat(window.end()).isEqualTo(T0.plusSeconds(60));
        assertThat(denials.count("192.0.2.1")).as("a new window records in full again").isTrue();
    }

    @Test
    void addressesBeyondTheLimitAreCountedTogetherSoMemoryStaysBounded() {
        AnonymousDenials denials = new AnonymousDenials(1, 3, T0);
        int recorded = 0;
        for (int i = 0; i < 10_000; i++) {
            recorded += denials.count("198.51.100." + i) ? 1 : 0;
        }

        AnonymousDenials.Window window = denials.close(T0.plusSeconds(60));

        assertThat(recorded).isEqualTo(3);
        assertThat(window.unrecorded()).isEmpty();
        assertThat(window.untrackedClients()).isEqualTo(9_997);
    }
}
