package io.rookery.node.server;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.unix.IntegerUnixChannelOption;
import java.nio.channels.spi.SelectorProvider;

/**
 * Binds one {@link BindAddress} with a socket of its own family, as Redis's {@code anetTcpServer}
 * and {@code anetTcp6Server}: an IPv4 socket for an IPv4 address, an IPv6-only socket
 * (IPV6_V6ONLY, with epoll) for an IPv6 one. A dual-stack socket on "::" would also take the IPv4
 * port, and Redis's default {@code bind * -::*} would then fail with the port in use.
 */
public final class ListenSocket {
    /** Linux's IPPROTO_IPV6 / IPV6_V6ONLY. */
    private static final IntegerUnixChannelOption IPV6_V6ONLY = new IntegerUnixChannelOption("IPV6_V6ONLY", 41, 26);

    private ListenSocket() {
    }

    /**
     * Starts binding {@code address} at {@code port} with {@code bootstrap}'s group, options and
     * handlers; {@code bootstrap} has no channel type of its own, the address chooses it.
     */
    public static ChannelFuture bind(ServerBootstrap bootstrap, BindAddress address, int port) {
        SocketProtocolFamily family = address.ipv6() ? SocketProtocolFamily.INET6 : SocketProtocolFamily.INET;
        boolean epoll = Epoll.isAvailable();
        ServerBootstrap b = bootstrap.clone().channelFactory(() -> channel(epoll, family));
        if (family == SocketProtocolFamily.INET6 && epoll) {
            b.option(IPV6_V6ONLY, 1);
        }
        return b.bind(address.socketAddress(port));
    }

    private static ServerChannel channel(boolean epoll, SocketProtocolFamily family) {
        return epoll ? new EpollServerSocketChannel(family) : new NioServerSocketChannel(SelectorProvider.provider(), family);
    }
}
