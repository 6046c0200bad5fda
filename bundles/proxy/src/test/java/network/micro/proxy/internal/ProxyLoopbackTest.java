package network.micro.proxy.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;
import static org.junit.Assume.assumeTrue;

import io.grpc.CallOptions;
import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.zip.CRC32;
import network.micro.api.HostPort;
import network.micro.api.Node;
import network.micro.api.NodeEndpoint;
import network.micro.proxy.connect.ConnectCodec;
import network.micro.proxy.h2.H2cCodec;
import network.micro.proxy.http1.Http1Codec;
import network.micro.proxy.testing.EchoServer;
import network.micro.proxy.testing.FakeConnector;
import network.micro.proxy.testing.GrpcBackend;
import network.micro.proxy.testing.HttpBackend;
import network.micro.testsupport.NettyLeakRule;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Rule;
import org.junit.Test;

/**
 * The listener on loopback with every codec, in front of real servers: an HTTP server, a gRPC server, a TCP echo
 * server. Clients are real too: curl where installed, the JDK's HTTP client, grpc-java, raw sockets.
 */
public class ProxyLoopbackTest {

    private static final long TIMEOUT_SECONDS = 30;

    @Rule
    public final NettyLeakRule leaks = new NettyLeakRule();

    private static HttpBackend greeter;
    private static HttpBackend weather;
    private static EchoServer echo;
    private static GrpcBackend grpc;
    private static FakeConnector connector;
    private static ProxyListener listener;
    private static Http1Codec http1;

    @BeforeClass
    public static void start() throws Exception {
        greeter = new HttpBackend("greeter");
        weather = new HttpBackend("weather");
        echo = new EchoServer();
        grpc = new GrpcBackend("grpc-a");
        InetSocketAddress refusing = closedPort();
        connector = new FakeConnector("node-a", "node-b")
                .route("greeter", refusing, greeter.address())
                .route("weather", weather.address())
                .route("echo", echo.address())
                .route("grpc-greeter", grpc.address())
                .route("dead", refusing, closedPort())
                .fail("far", 508, "path node-a,node-b,node-c,node-d would exceed 3 hops");
        listener = new ProxyListener(new HostPort("127.0.0.1", 0), () -> new Node("node-a", "127.0.0.1:8085", "go"));
        listener.setConnector(connector);
        http1 = new Http1Codec();
        listener.addCodec(http1);
        listener.addCodec(new H2cCodec());
        listener.addCodec(new ConnectCodec());
        listener.addEndpoint(new NodeEndpoint() {
            @Override
            public String service() {
                return "go.micro.network";
            }

            @Override
            public Reply handle(String method, String path) {
                return Reply.json("{\"node\":\"node-a\",\"path\":\"" + path + "\"}");
            }
        });
    }

    @AfterClass
    public static void stop() throws Exception {
        listener.deactivate();
        grpc.close();
        echo.close();
        weather.close();
        greeter.close();
    }

    @Test
    public void curlForwardProxyReachesTheServiceAfterARefusedRoute() throws Exception {
        String out = curl("-s", "-i", "-x", proxyUrl(), "http://greeter/hello");

        assertTrue(out, out.startsWith("HTTP/1.1 200 OK"));
        assertTrue(out, out.contains("Micro-Path: node-a,node-b"));
        assertTrue(out, out.endsWith("hello from greeter\n"));
    }

    @Test
    public void curlWithTheServiceHeader() throws Exception {
        String out = curl("-s", "-H", "Micro-Service: weather", proxyUrl() + "/hello");

        assertEquals("hello from weather\n", out);
    }

    @Test
    public void curlUploadWithExpectContinueArrivesWhole() throws Exception {
        byte[] body = new byte[3 * 1024 * 1024 + 17];
        HttpBackend.fill(body, 0, body.length);
        Path file = Files.createTempFile("upload", ".bin");
        try {
            Files.write(file, body);
            String out = curl(
                    "-s",
                    "-x",
                    proxyUrl(),
                    "-H",
                    "Expect: 100-continue",
                    "--data-binary",
                    "@" + file,
                    "http://greeter/sum");

            assertEquals(body.length + " " + Long.toHexString(crc(body)) + "\n", out);
        } finally {
            Files.delete(file);
        }
    }

    @Test
    public void curlHttp2PriorKnowledgeNamesTheServiceInTheAuthority() throws Exception {
        // One gRPC message by hand: not compressed, 4 bytes long, "curl".
        Path message = Files.createTempFile("grpc", ".bin");
        try {
            Files.write(message, new byte[] {0, 0, 0, 0, 4, 'c', 'u', 'r', 'l'});
            String out = curl(
                    "-s",
                    "-i",
                    "--http2-prior-knowledge",
                    "--connect-to",
                    "grpc-greeter:80:127.0.0.1:" + port(),
                    "-H",
                    "content-type: application/grpc",
                    "-H",
                    "te: trailers",
                    "--data-binary",
                    "@" + message,
                    "http://grpc-greeter/test.Echo/Greet");

            assertTrue(out, out.startsWith("HTTP/2 200"));
            assertTrue(out, out.contains("micro-path: node-a,node-b"));
            assertTrue(out, out.contains("hello curl"));
        } finally {
            Files.delete(message);
        }
    }

    @Test
    public void curlHttp2NoRouteIs502() throws Exception {
        String out = curl(
                "-s",
                "-i",
                "--http2-prior-knowledge",
                "--connect-to",
                "nowhere:80:127.0.0.1:" + port(),
                "http://nowhere/");

        assertTrue(out, out.startsWith("HTTP/2 502"));
        assertTrue(out, out.endsWith("no route to service nowhere\n"));
    }

    @Test
    public void oneConnectionCarriesRequestsToDifferentServices() throws Exception {
        try (Socket socket = connect()) {
            for (String service : List.of("greeter", "weather", "go.micro.network", "greeter")) {
                write(socket, "GET http://" + service + "/hello HTTP/1.1\r\nHost: " + service + "\r\n\r\n");
                String answer = readResponse(socket.getInputStream());
                assertTrue(answer, answer.startsWith("HTTP/1.1 200 OK"));
                assertTrue(
                        answer, answer.contains(service.equals("go.micro.network") ? "\"path\":\"/hello\"" : service));
            }
        }
    }

    @Test
    public void errorsNameTheirCause() throws Exception {
        try (Socket socket = connect()) {
            write(socket, "GET http://nowhere/ HTTP/1.1\r\nHost: nowhere\r\n\r\n");
            String noRoute = readResponse(socket.getInputStream());
            assertTrue(noRoute, noRoute.startsWith("HTTP/1.1 502 Bad Gateway"));
            assertTrue(noRoute, noRoute.endsWith("no route to service nowhere\n"));

            write(socket, "GET http://far/ HTTP/1.1\r\nHost: far\r\n\r\n");
            String loop = readResponse(socket.getInputStream());
            assertTrue(loop, loop.startsWith("HTTP/1.1 508 Loop Detected"));
            assertTrue(loop, loop.endsWith("path node-a,node-b,node-c,node-d would exceed 3 hops\n"));

            write(socket, "GET http://dead/ HTTP/1.1\r\nHost: dead\r\n\r\n");
            String failed = readResponse(socket.getInputStream());
            assertTrue(failed, failed.startsWith("HTTP/1.1 502 Bad Gateway"));
            assertTrue(failed, failed.contains("every route to service dead failed: "));
            assertEquals(failed, 2, failed.split("Connection refused", -1).length - 1);
        }
    }

    @Test
    public void connectCarriesRawBytesAndHalfCloseBothWays() throws Exception {
        try (Socket socket = connect()) {
            write(socket, "CONNECT echo:7 HTTP/1.1\r\nHost: echo:7\r\n\r\n");
            String head = readHead(socket.getInputStream());
            assertTrue(head, head.startsWith("HTTP/1.1 200 Connection Established\r\n"));
            assertTrue(head, head.contains("Micro-Path: node-a,node-b\r\n"));

            write(socket, "ping");
            socket.shutdownOutput();

            assertEquals(EchoServer.GREETING + "ping" + EchoServer.FAREWELL, readAll(socket.getInputStream()));
        }
    }

    @Test
    public void connectToNoRouteIsRefused() throws Exception {
        try (Socket socket = connect()) {
            write(socket, "CONNECT nowhere:22 HTTP/1.1\r\n\r\n");

            String answer = readAll(socket.getInputStream());
            assertTrue(answer, answer.startsWith("HTTP/1.1 502 Bad Gateway"));
            assertTrue(answer, answer.endsWith("no route to service nowhere\n"));
        }
    }

    @Test
    public void grpcUnaryWithTrailersAndBidirectionalStreaming() throws Exception {
        ManagedChannel channel = grpcChannel("grpc-greeter");
        try {
            AtomicReference<Metadata> headers = new AtomicReference<>();
            AtomicReference<Metadata> trailers = new AtomicReference<>();
            io.grpc.Channel capturing = ClientInterceptors.intercept(
                    channel, MetadataUtils.newCaptureMetadataInterceptor(headers, trailers));
            byte[] greeting = ClientCalls.blockingUnaryCall(
                    capturing, GrpcBackend.GREET, deadline(), "proxy".getBytes(StandardCharsets.UTF_8));
            assertEquals("hello proxy", new String(greeting, StandardCharsets.UTF_8));
            assertEquals("grpc-a", trailers.get().get(GrpcBackend.SERVED_BY));
            assertEquals(
                    "node-a,node-b",
                    headers.get().get(Metadata.Key.of("micro-path", Metadata.ASCII_STRING_MARSHALLER)));

            List<String> answers = new CopyOnWriteArrayList<>();
            CountDownLatch done = new CountDownLatch(1);
            StreamObserver<byte[]> requests = ClientCalls.asyncBidiStreamingCall(
                    channel.newCall(GrpcBackend.SHOUT, deadline()), collect(answers, done));
            for (int i = 0; i < 100; i++) {
                requests.onNext(("message " + i).getBytes(StandardCharsets.UTF_8));
            }
            requests.onCompleted();
            assertTrue(done.await(TIMEOUT_SECONDS, TimeUnit.SECONDS));
            assertEquals(100, answers.size());
            assertEquals("MESSAGE 99", answers.get(99));
        } finally {
            channel.shutdownNow().awaitTermination(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        }
    }

    @Test
    public void grpcToNoRouteIsUnavailableWithTheMessage() throws Exception {
        ManagedChannel channel = grpcChannel("nowhere");
        try {
            ClientCalls.blockingUnaryCall(channel, GrpcBackend.GREET, deadline(), new byte[1]);
            fail("expected UNAVAILABLE");
        } catch (StatusRuntimeException e) {
            assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode());
            assertEquals("no route to service nowhere", e.getStatus().getDescription());
        } finally {
            channel.shutdownNow().awaitTermination(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        }
    }

    @Test
    public void hostileClientsDoNotHurtOthers() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<String>> answers = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                boolean hostile = i % 2 == 0;
                answers.add(pool.submit(() -> {
                    try (Socket socket = connect()) {
                        if (hostile) {
                            write(socket, "\u0000\u0001garbage\r\n\r\n");
                            return readAll(socket.getInputStream());
                        }
                        write(socket, "GET http://greeter/hello HTTP/1.1\r\nHost: greeter\r\n\r\n");
                        return readResponse(socket.getInputStream());
                    }
                }));
            }
            for (int i = 0; i < answers.size(); i++) {
                String answer = answers.get(i).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                String expected = i % 2 == 0 ? "HTTP/1.1 400 Bad Request" : "HTTP/1.1 200 OK";
                assertTrue(answer, answer.startsWith(expected));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    public void aLargeDownloadToASlowClientArrivesIntactWithBoundedMemory() throws Exception {
        long size = 256L * 1024 * 1024;
        HttpResponse<InputStream> response = httpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://greeter/bytes?n=" + size))
                                .timeout(Duration.ofSeconds(TIMEOUT_SECONDS))
                                .build(),
                        HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, response.statusCode());
        long peak = 0;
        try (InputStream in = response.body()) {
            // Read nothing for a while: everything between the service and this client fills up.
            for (int i = 0; i < 15; i++) {
                Thread.sleep(100);
                peak = Math.max(peak, nettyMemory());
            }
            byte[] buffer = new byte[64 * 1024];
            long offset = 0;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
                for (int i = 0; i < read; i++) {
                    if (buffer[i] != HttpBackend.pattern(offset + i)) {
                        fail("byte " + (offset + i) + " differs");
                    }
                }
                offset += read;
                if (offset % (8 * 1024 * 1024) < read) {
                    Thread.sleep(20);
                    peak = Math.max(peak, nettyMemory());
                }
                assertTrue("download too slow", System.nanoTime() < deadline);
            }
            assertEquals(size, offset);
        }
        assertTrue("proxy buffers stayed small, peak " + peak, peak < 16L * 1024 * 1024);
    }

    @Test
    public void aLargeStreamedUploadArrivesIntact() throws Exception {
        long size = 256L * 1024 * 1024;
        CRC32 expected = new CRC32();
        InputStream generated = new InputStream() {
            private long offset;

            @Override
            public int read() {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (offset == size) {
                    return -1;
                }
                int n = (int) Math.min(len, size - offset);
                for (int i = 0; i < n; i++) {
                    b[off + i] = HttpBackend.pattern(offset + i);
                }
                expected.update(b, off, n);
                offset += n;
                return n;
            }
        };
        HttpResponse<String> response = httpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://greeter/sum"))
                                .timeout(Duration.ofSeconds(120))
                                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> generated))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());

        assertEquals(200, response.statusCode());
        assertEquals(size + " " + Long.toHexString(expected.getValue()) + "\n", response.body());
    }

    @Test
    public void aCodecReplacedAtRuntimeClosesOnlyItsConnections() throws Exception {
        try (Socket http = connect();
                Socket raw = connect()) {
            write(http, "GET http://greeter/hello HTTP/1.1\r\nHost: greeter\r\n\r\n");
            readResponse(http.getInputStream());
            write(raw, "CONNECT echo:7 HTTP/1.1\r\n\r\n");
            readHead(raw.getInputStream());

            listener.removeCodec(http1);
            try {
                assertEquals("", readAll(http.getInputStream()));
                write(raw, "still here");
                raw.shutdownOutput();
                assertEquals(EchoServer.GREETING + "still here" + EchoServer.FAREWELL, readAll(raw.getInputStream()));
            } finally {
                listener.addCodec(http1);
            }
        }
        assertEquals("hello from greeter\n", curl("-s", "-x", proxyUrl(), "http://greeter/hello"));
    }

    private static StreamObserver<byte[]> collect(List<String> answers, CountDownLatch done) {
        return new StreamObserver<>() {
            @Override
            public void onNext(byte[] value) {
                answers.add(new String(value, StandardCharsets.UTF_8));
            }

            @Override
            public void onError(Throwable t) {
                done.countDown();
            }

            @Override
            public void onCompleted() {
                done.countDown();
            }
        };
    }

    private static CallOptions deadline() {
        return CallOptions.DEFAULT.withDeadlineAfter(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    private static ManagedChannel grpcChannel(String service) {
        return NettyChannelBuilder.forAddress("127.0.0.1", port())
                .overrideAuthority(service)
                .usePlaintext()
                .build();
    }

    private static HttpClient httpClient() {
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .proxy(ProxySelector.of(listener.localAddress()))
                .connectTimeout(Duration.ofSeconds(TIMEOUT_SECONDS))
                .build();
    }

    /** Bytes Netty's default allocator holds, the proxy's buffers among them. */
    private static long nettyMemory() {
        var metric = ((ByteBufAllocatorMetricProvider) ByteBufAllocator.DEFAULT).metric();
        return metric.usedDirectMemory() + metric.usedHeapMemory();
    }

    private static long crc(byte[] bytes) {
        CRC32 crc = new CRC32();
        crc.update(bytes);
        return crc.getValue();
    }

    private static int port() {
        return listener.localAddress().getPort();
    }

    private static String proxyUrl() {
        return "http://127.0.0.1:" + port();
    }

    private static Socket connect() throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), port());
        socket.setSoTimeout((int) TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS));
        return socket;
    }

    private static InetSocketAddress closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return new InetSocketAddress(socket.getInetAddress(), socket.getLocalPort());
        }
    }

    private static void write(Socket socket, String text) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(text.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.write(b);
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    /** One response with a Content-Length body, head and body. */
    private static String readResponse(InputStream in) throws IOException {
        String head = readHead(in);
        int length = 0;
        for (String line : head.split("\r\n")) {
            if (line.toLowerCase().startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).trim());
            }
        }
        return head + new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }

    private static String readAll(InputStream in) throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }

    private static String curl(String... args) throws Exception {
        assumeTrue("curl is installed", Files.isExecutable(Path.of("/usr/bin/curl")));
        List<String> command = new ArrayList<>(List.of("curl", "--max-time", String.valueOf(TIMEOUT_SECONDS)));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().keySet().removeIf(name -> name.toLowerCase().endsWith("_proxy"));
        Process process = builder.start();
        String out = readAll(process.getInputStream());
        assertTrue("curl ended", process.waitFor(TIMEOUT_SECONDS + 5, TimeUnit.SECONDS));
        return out;
    }
}
