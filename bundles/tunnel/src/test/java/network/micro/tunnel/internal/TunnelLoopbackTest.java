package network.micro.tunnel.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import network.micro.testsupport.NettyLeakRule;
import network.micro.tunnel.Link;
import network.micro.tunnel.Tunnel;
import network.micro.tunnel.TunnelOptions;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;

public class TunnelLoopbackTest {

    private static final long WAIT_MILLIS = 5000;

    @Rule
    public final NettyLeakRule leaks = new NettyLeakRule();

    @Rule
    public final LogCapture log = new LogCapture();

    private final NettyTunnelFactory factory = new NettyTunnelFactory();
    private final List<Tunnel> tunnels = new ArrayList<>();

    @Before
    public void activate() {
        factory.activate();
    }

    @After
    public void deactivate() {
        tunnels.forEach(Tunnel::close);
        factory.deactivate();
    }

    @Test
    public void linksBothWaysAndCarriesControlMessages() throws Exception {
        RecordingListener aEvents = new RecordingListener();
        RecordingListener bEvents = new RecordingListener();
        Tunnel a = start(options("a", "secret"), aEvents);
        Tunnel b = start(options("b", "secret").seeds(List.of(address(a))), bEvents);

        awaitTrue("both ends up", () -> a.links().size() == 1 && b.links().size() == 1);
        Link fromA = a.links().get(0);
        Link fromB = b.links().get(0);
        assertEquals("b", fromA.peerId());
        assertEquals(Link.Direction.IN, fromA.direction());
        assertEquals("a", fromB.peerId());
        assertEquals(Link.Direction.OUT, fromB.direction());
        assertEquals(address(a), fromB.peerAddress());
        assertTrue(fromA.rtt().toNanos() > 0);
        assertTrue(fromB.rtt().toNanos() > 0);
        assertTrue(log.contains("node a: link up with b"));

        fromB.send("{\"hello\":\"from b\"}").sync();
        fromA.send("{\n  \"hello\": \"from a\"\n}").sync();

        awaitTrue("messages arrive", () -> aEvents.messages.size() == 1 && bEvents.messages.size() == 1);
        assertEquals("b {\"hello\":\"from b\"}", aEvents.messages.get(0));
        assertEquals("a {\"hello\":\"from a\"}", bEvents.messages.get(0));
        assertTrue(fromA.bytesIn() > 0 && fromA.bytesOut() > 0);
        assertEquals(Link.State.UP, fromA.state());
    }

    @Test(expected = IllegalArgumentException.class)
    public void refusesToSendAnythingButAnObject() throws Exception {
        Tunnel a = start(options("a", "secret"), new RecordingListener());
        Tunnel b = start(options("b", "secret").seeds(List.of(address(a))), new RecordingListener());
        awaitTrue("link up", () -> b.links().size() == 1);

        b.links().get(0).send("[1]");
    }

    @Test
    public void dialedSideOpensAStreamToTheDialer() throws Exception {
        RecordingListener bEvents = new RecordingListener();
        bEvents.streams = (stream, headers) -> stream.pipeline().addLast(new Echo());
        Tunnel a = start(options("a", "secret"), new RecordingListener());
        Tunnel b = start(options("b", "secret").seeds(List.of(address(a))), bEvents);
        awaitTrue("link up", () -> a.links().size() == 1);
        StringBuffer received = new StringBuffer();

        Future<Http2StreamChannel> opened = a.links()
                .get(0)
                .openStream(new DefaultHttp2Headers().method("POST").path("/greeter"), new Collect(received));
        Http2StreamChannel stream = opened.sync().getNow();
        stream.writeAndFlush(new DefaultHttp2DataFrame(Unpooled.copiedBuffer("hello b", StandardCharsets.UTF_8), true));

        awaitTrue("echo comes back", () -> received.toString().equals("hello b"));
        assertTrue(b.links().get(0).bytesIn() > 0);
    }

    @Test
    public void manyStreamsResetOneAfterAnotherLeaveTheLinkUp() throws Exception {
        RecordingListener bEvents = new RecordingListener();
        bEvents.streams = (stream, headers) -> stream.pipeline().addLast(new Echo());
        Tunnel a = start(options("a", "secret"), new RecordingListener());
        Tunnel b = start(options("b", "secret").seeds(List.of(address(a))), bEvents);
        awaitTrue("link up", () -> a.links().size() == 1);
        Link link = a.links().get(0);

        // A relay resets a stream whenever its client is done with it: far more than Netty's 200 in 30 s.
        for (int i = 0; i < 400; i++) {
            StringBuffer received = new StringBuffer();
            Http2StreamChannel stream = link.openStream(
                            new DefaultHttp2Headers().method("POST").path("/greeter"), new Collect(received))
                    .sync()
                    .getNow();
            stream.writeAndFlush(new DefaultHttp2DataFrame(Unpooled.copiedBuffer("hi", StandardCharsets.UTF_8)));
            awaitTrue("echo " + i, () -> received.toString().equals("hi"));
            stream.close().sync();
        }

        assertEquals(Link.State.UP, link.state());
        assertEquals(1, b.links().size());
    }

    @Test
    public void refusesAnotherTokenAndBothSidesSaySo() throws Exception {
        RecordingListener aEvents = new RecordingListener();
        Tunnel a = start(options("a", "one"), aEvents);
        Tunnel b = start(options("b", "two").seeds(List.of(address(a))), new RecordingListener());

        awaitTrue("dialer logs", () -> log.contains("WARNING", "node b:", "token mismatch", address(a)));
        awaitTrue("listener logs", () -> log.contains("WARNING", "node a:", "token mismatch", "/127.0.0.1:"));
        assertTrue(a.links().isEmpty());
        assertTrue(b.links().isEmpty());
        assertTrue(aEvents.ups.isEmpty());
        assertTrue(aEvents.messages.isEmpty());
    }

    @Test
    public void refusesAnotherNetwork() throws Exception {
        Tunnel a = start(options("a", "secret"), new RecordingListener());
        TunnelOptions.Builder other = TunnelOptions.builder("b", "other.net", "secret")
                .listenAddress("127.0.0.1:0")
                .seeds(List.of(address(a)));
        Tunnel b = start(other, new RecordingListener());

        awaitTrue("listener logs", () -> log.contains("WARNING", "node a:", "network mismatch"));
        awaitTrue("dialer logs", () -> log.contains("WARNING", "node b:", "network mismatch", address(a)));
        assertTrue(b.links().isEmpty());
    }

    @Test
    public void neverLinksToItself() throws Exception {
        Tunnel a = start(options("a", "secret"), new RecordingListener());
        a.dial(address(a));

        awaitTrue("self dial noticed", () -> log.contains("node a:", "dialed itself"));
        assertTrue(a.links().isEmpty());
    }

    @Test
    public void closesHostileConnectionsAndKeepsTheGoodLink() throws Exception {
        RecordingListener aEvents = new RecordingListener();
        Tunnel a = start(options("a", "secret"), aEvents);
        Tunnel b = start(options("b", "secret").seeds(List.of(address(a))), new RecordingListener());
        awaitTrue("link up", () -> a.links().size() == 1);
        Link good = a.links().get(0);

        assertClosedAfterSending(a, new byte[] {0x16, 0x03, 0x01, 0x7f, (byte) 0xff, 1, 2, 3, 4, 5, 6, 7, 8});
        assertClosedAfterSending(a, "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        assertSilentTlsClientClosed(a);
        awaitTrue("reasons logged", () -> log.contains("WARNING", "node a:", "not a TLS connection", "/127.0.0.1:"));
        assertTrue(log.contains("WARNING", "node a:", "not authenticated within"));

        assertSame(good, a.links().get(0));
        assertEquals(Link.State.UP, good.state());
        b.links().get(0).send("{\"still\":\"up\"}");
        awaitTrue("good link still carries messages", () -> aEvents.messages.size() == 1);
        assertTrue(aEvents.downs.isEmpty());
    }

    @Test
    public void closesAnOversizedControlMessageAndOnlyThatLink() throws Exception {
        RecordingListener aEvents = new RecordingListener();
        Tunnel a = start(options("a", "secret").maxControlMessageBytes(2048), aEvents);
        Tunnel b = start(options("b", "secret").seeds(List.of(address(a))), new RecordingListener());
        Tunnel c = start(options("c", "secret").seeds(List.of(address(a))), new RecordingListener());
        awaitTrue(
                "links up",
                () -> a.links().size() == 2
                        && b.links().size() == 1
                        && c.links().size() == 1);

        b.links().get(0).send("{\"pad\":\"" + "x".repeat(4096) + "\"}");

        awaitTrue("link to b closed", () -> aEvents.downs.stream().anyMatch(down -> down.startsWith("b: ")));
        assertTrue(log.contains("node a:", "larger than 2048"));
        assertEquals(
                "c",
                a.links().stream()
                        .filter(l -> l.peerId().equals("c"))
                        .findFirst()
                        .orElseThrow()
                        .peerId());
        c.links().get(0).send("{\"from\":\"c\"}");
        awaitTrue("c still talks", () -> aEvents.messages.contains("c {\"from\":\"c\"}"));
    }

    @Test
    public void refusesConnectionsBeyondThePendingLimit() throws Exception {
        Tunnel a = start(options("a", "secret").maxPendingConnections(2), new RecordingListener());
        InetSocketAddress target = a.localAddress();
        try (Socket first = new Socket(target.getAddress(), target.getPort());
                Socket second = new Socket(target.getAddress(), target.getPort());
                Socket third = new Socket(target.getAddress(), target.getPort())) {
            third.setSoTimeout(3000);

            assertEquals(-1, third.getInputStream().read());
            assertTrue(log.contains("WARNING", "node a:", "more than 2 connections"));
            assertTrue(first.isConnected() && second.isConnected());
        }
    }

    @Test
    public void detectsADeadPeerWithinThreeSeconds() throws Exception {
        RecordingListener aEvents = new RecordingListener();
        Tunnel a = start(options("a", "secret"), aEvents);
        Tunnel b = start(options("b", "secret").seeds(List.of(address(a))), new RecordingListener());
        awaitTrue("link up", () -> a.links().size() == 1 && b.links().size() == 1);

        NettyLink stalled = (NettyLink) b.links().get(0);
        stalled.channel().pipeline().remove(LinkPipeline.KEEPALIVE);
        stalled.channel().config().setAutoRead(false);
        long stalledAt = System.nanoTime();

        awaitTrue("a sees b dead", () -> !aEvents.downs.isEmpty());
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stalledAt);
        assertTrue("took " + millis + " ms", millis <= 3300);
        assertTrue(aEvents.downs.get(0), aEvents.downs.get(0).contains("no keepalive answer"));
        stalled.channel().config().setAutoRead(true);
    }

    @Test
    public void simultaneousDialsConvergeToOneLink() throws Exception {
        RecordingListener aEvents = new RecordingListener();
        RecordingListener bEvents = new RecordingListener();
        Tunnel a = start(options("a", "secret"), aEvents);
        Tunnel b = start(options("b", "secret").seeds(List.of(address(a))), bEvents);
        a.dial(address(b));

        awaitTrue("one link each", () -> a.links().size() == 1 && b.links().size() == 1);
        Thread.sleep(700);
        assertEquals(1, a.links().size());
        assertEquals(1, b.links().size());
        assertEquals(
                "kept link is the one a dialled",
                Link.Direction.OUT,
                a.links().get(0).direction());
        assertEquals(Link.Direction.IN, b.links().get(0).direction());
        assertEquals(aEvents.ups.size() - aEvents.downs.size(), 1);
        assertEquals(bEvents.ups.size() - bEvents.downs.size(), 1);
    }

    @Test
    public void threeNodesLinkPairwise() throws Exception {
        RecordingListener aEvents = new RecordingListener();
        Tunnel a = start(options("a", "secret"), aEvents);
        Tunnel b = start(options("b", "secret").seeds(List.of(address(a))), new RecordingListener());
        Tunnel c = start(options("c", "secret").seeds(List.of(address(a), address(b))), new RecordingListener());

        awaitTrue(
                "full mesh",
                () -> a.links().size() == 2
                        && b.links().size() == 2
                        && c.links().size() == 2);
        for (Link link : c.links()) {
            link.send("{\"from\":\"c\"}");
        }
        awaitTrue("a hears c", () -> aEvents.messages.contains("c {\"from\":\"c\"}"));
    }

    @Test
    public void reconnectsAfterThePeerRestarts() throws Exception {
        Tunnel a = start(options("a", "secret"), new RecordingListener());
        String aAddress = address(a);
        Tunnel b = start(options("b", "secret").seeds(List.of(aAddress)), new RecordingListener());
        awaitTrue("link up", () -> b.links().size() == 1);

        a.close();
        awaitTrue("link down", () -> b.links().isEmpty());
        Tunnel again = start(options("a", "secret").listenAddress(aAddress), new RecordingListener());

        awaitTrue("redialled", () -> again.links().size() == 1 && b.links().size() == 1);
    }

    // ---- helpers

    private static TunnelOptions.Builder options(String id, String token) {
        return TunnelOptions.builder(id, "go.micro", token)
                .listenAddress("127.0.0.1:0")
                .handshakeTimeout(Duration.ofSeconds(1))
                .reconnectBackoff(Duration.ofMillis(50), Duration.ofMillis(500));
    }

    private Tunnel start(TunnelOptions.Builder options, RecordingListener listener) {
        Tunnel tunnel = factory.start(options.build(), listener);
        tunnels.add(tunnel);
        return tunnel;
    }

    private static String address(Tunnel tunnel) {
        return "127.0.0.1:" + tunnel.localAddress().getPort();
    }

    private static void awaitTrue(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MILLIS);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting: " + what);
            }
            Thread.sleep(10);
        }
    }

    private static void assertClosedAfterSending(Tunnel tunnel, byte[] bytes) throws IOException {
        InetSocketAddress target = tunnel.localAddress();
        try (Socket socket = new Socket(target.getAddress(), target.getPort())) {
            socket.setSoTimeout(3000);
            OutputStream out = socket.getOutputStream();
            out.write(bytes);
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[512];
            for (int reads = 0; reads < 100; reads++) {
                try {
                    if (in.read(buffer) < 0) {
                        return;
                    }
                } catch (SocketTimeoutException e) {
                    throw new AssertionError("connection left open", e);
                } catch (IOException reset) {
                    return;
                }
            }
            throw new AssertionError("connection kept sending");
        }
    }

    private static void assertSilentTlsClientClosed(Tunnel tunnel) throws Exception {
        GeneratedCertificate certificate = GeneratedCertificate.create("intruder");
        SslContext context = SslContextBuilder.forClient()
                .sslProvider(SslProvider.JDK)
                .keyManager(certificate.key(), certificate.certificate())
                .trustManager(InsecureTrustManagerFactory.INSTANCE)
                .endpointIdentificationAlgorithm(null)
                .applicationProtocolConfig(new ApplicationProtocolConfig(
                        ApplicationProtocolConfig.Protocol.ALPN,
                        ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                        ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                        ApplicationProtocolNames.HTTP_2))
                .build();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            Channel channel = new Bootstrap()
                    .group(group)
                    .channel(NioSocketChannel.class)
                    .handler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast(context.newHandler(ch.alloc()), new Discard());
                        }
                    })
                    .connect(tunnel.localAddress())
                    .sync()
                    .channel();
            assertTrue(
                    "TLS completes",
                    channel.pipeline().get(SslHandler.class).handshakeFuture().await(3, TimeUnit.SECONDS));
            assertTrue("closed by the tunnel", channel.closeFuture().await(3, TimeUnit.SECONDS));
            assertFalse(channel.isActive());
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    /** Answers a stream's data with the same data, after a 200. */
    private static final class Echo extends ChannelInboundHandlerAdapter {

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof Http2DataFrame data) {
                ctx.write(new DefaultHttp2HeadersFrame(new DefaultHttp2Headers().status("200")));
                ctx.writeAndFlush(new DefaultHttp2DataFrame(data.content(), data.isEndStream()));
            } else {
                ReferenceCountUtil.release(msg);
            }
        }
    }

    /** Appends a stream's data to a buffer. */
    private static final class Collect extends ChannelInboundHandlerAdapter {

        private final StringBuffer received;

        Collect(StringBuffer received) {
            this.received = received;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof Http2DataFrame data) {
                received.append(data.content().toString(StandardCharsets.UTF_8));
            }
            ReferenceCountUtil.release(msg);
        }
    }

    /** Drops whatever arrives. */
    private static final class Discard extends ChannelInboundHandlerAdapter {

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release(msg);
        }
    }
}
