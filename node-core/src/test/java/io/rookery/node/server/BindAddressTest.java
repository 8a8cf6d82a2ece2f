package io.rookery.node.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.channels.UnsupportedAddressTypeException;
import org.junit.jupiter.api.Test;

/** The bind entries as Redis's listenToPort reads them, and which bind failures it starts without. */
class BindAddressTest {

    @Test
    void aLeadingDashMakesAnAddressOptionalAndIsNotPartOfIt() {
        BindAddress v6any = BindAddress.parse("-::*");
        assertThat(v6any.optional()).isTrue();
        assertThat(v6any.address()).isEqualTo("::*");
        assertThat(v6any.text()).isEqualTo("-::*");
        assertThat(v6any.ipv6()).isTrue();
        BindAddress v4any = BindAddress.parse("*");
        assertThat(v4any.optional()).isFalse();
        assertThat(v4any.ipv6()).isFalse();
        assertThat(BindAddress.parse("-192.0.2.1").address()).isEqualTo("192.0.2.1");
    }

    @Test
    void theWildcardsAreEveryIpv4AndEveryIpv6Address() {
        assertThat(BindAddress.parse("*").socketAddress(7000)).isEqualTo(new InetSocketAddress("0.0.0.0", 7000));
        assertThat(BindAddress.parse("-::*").socketAddress(17000)).isEqualTo(new InetSocketAddress("::", 17000));
        assertThat(BindAddress.parse("127.0.0.1").socketAddress(1)).isEqualTo(new InetSocketAddress("127.0.0.1", 1));
        assertThat(BindAddress.parse("-::1").socketAddress(1).getAddress().getHostAddress()).isEqualTo("0:0:0:0:0:0:0:1");
    }

    @Test
    void anOptionalAddressTheMachineDoesNotHaveIsSkippedAMandatoryOneIsNot() {
        BindException notAvailable = new BindException("Cannot assign requested address");
        assertThat(BindAddress.parse("-192.0.2.1").skippable(notAvailable)).isTrue();
        assertThat(BindAddress.parse("192.0.2.1").skippable(notAvailable)).isFalse();
        // Netty's epoll transport words it so, wrapped
        Exception epoll = new SocketException("bind(..) failed: Cannot assign requested address");
        assertThat(BindAddress.parse("-192.0.2.1").skippable(new IllegalStateException(epoll))).isTrue();
    }

    @Test
    void aMissingAddressFamilyIsSkippedEvenForAMandatoryAddress() {
        assertThat(BindAddress.parse("::*").skippable(new SocketException("Address family not supported by protocol"))).isTrue();
        assertThat(BindAddress.parse("::*").skippable(new SocketException("Protocol family unavailable"))).isTrue();
        assertThat(BindAddress.parse("::1").skippable(new UnsupportedAddressTypeException())).isTrue();
    }

    @Test
    void aPortInUseOrAnUnknownHostStopsTheStartEvenForAnOptionalAddress() {
        assertThat(BindAddress.parse("-::*").skippable(new BindException("Address already in use"))).isFalse();
        assertThat(BindAddress.parse("-nosuchhost.invalid").skippable(new UnresolvedAddressException())).isFalse();
    }

    @Test
    void theFailureTextIsRedisWarning() {
        assertThat(BindAddress.parse("-192.0.2.1").failureText(32010, new BindException("Cannot assign requested address")))
                .isEqualTo("Could not create server TCP listening socket 192.0.2.1:32010: Cannot assign requested address");
        assertThat(BindAddress.parse("nosuchhost.invalid").failureText(7000, new UnresolvedAddressException()))
                .isEqualTo("Could not create server TCP listening socket nosuchhost.invalid:7000: Name or service not known");
    }
}
