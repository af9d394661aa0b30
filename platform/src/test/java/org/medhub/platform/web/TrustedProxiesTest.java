package org.medhub.platform.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class TrustedProxiesTest {

    @Test
    void theDefaultTrustsNoOneNotEvenLoopbackOrPrivateAddresses() {
        TrustedProxies none = TrustedProxies.parse(List.of());

        assertThat(List.of("127.0.0.1", "::1", "10.0.0.1", "192.168.1.1", "172.16.0.1", "0:0:0:0:0:0:0:1"))
                .noneMatch(none::trusts);
    }

    @Test
    void addressesAndCidrRangesOfBothFamiliesAreMatchedExactly() {
        TrustedProxies proxies = TrustedProxies.parse(List.of("10.1.0.0/16", "192.0.2.7", "2001:db8::/32", " 127.0.0.2 "));

        assertThat(proxies.trusts("10.1.255.3")).isTrue();
        assertThat(proxies.trusts("10.2.0.1")).isFalse();
        assertThat(proxies.trusts("192.0.2.7")).isTrue();
        assertThat(proxies.trusts("192.0.2.8")).isFalse();
        assertThat(proxies.trusts("2001:db8:1::5")).isTrue();
        assertThat(proxies.trusts("2001:db9::5")).isFalse();
        assertThat(proxies.trusts("127.0.0.2")).isTrue();
        assertThat(proxies.trusts("127.0.0.1")).isFalse();
        assertThat(proxies.trusts("::ffff:10.1.2.3")).as("IPv4-mapped").isTrue();
        assertThat(proxies.trusts("not-an-address")).isFalse();
    }

    @Test
    void aPrefixThatIsNotAMultipleOfEightMasksTheRightBits() {
        TrustedProxies proxies = TrustedProxies.parse(List.of("192.0.2.64/27"));

        assertThat(proxies.trusts("192.0.2.64")).isTrue();
        assertThat(proxies.trusts("192.0.2.95")).isTrue();
        assertThat(proxies.trusts("192.0.2.96")).isFalse();
        assertThat(proxies.trusts("192.0.2.63")).isFalse();
    }

    @Test
    void aHostNameOrABadRangeStopsTheStartNamingTheSetting() {
        for (String bad : List.of("proxy.example.org", "10.0.0.0/33", "10.0.0.0/x", "300.1.1.1", "")) {
            assertThatThrownBy(() -> TrustedProxies.parse(List.of(bad))).as(bad)
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("medhub.trusted-proxies");
        }
    }
}
