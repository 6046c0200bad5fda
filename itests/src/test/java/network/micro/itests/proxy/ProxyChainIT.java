package network.micro.itests.proxy;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import com.google.gson.Gson;
import com.google.gson.reflect.TypeToken;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import network.micro.api.Route;
import network.micro.itests.Await;
import network.micro.itests.Distribution;
import network.micro.itests.Micro.Run;
import network.micro.itests.RunningNode;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.FixMethodOrder;
import org.junit.Rule;
import org.junit.Test;
import org.junit.runners.MethodSorters;

/**
 * Issue 4, acceptance 1, 3 and 5, against the distribution: four nodes in a chain A-B-C-D, each knowing only its
 * neighbour, with real servers behind A (HTTP, gRPC, TCP echo). Clients at D reach each of them through D's proxy,
 * three hops away, in every form the proxy speaks.
 */
@FixMethodOrder(MethodSorters.NAME_ASCENDING)
public class ProxyChainIT {

    private static final String THROUGH_CHAIN = "D,C,B,A";

    private static HttpBackend web;
    private static GrpcBackend grpc;
    private static EchoServer echo;
    private static HttpBackend nearbyAtA;
    private static HttpBackend localAtD;
    private static RunningNode a;
    private static RunningNode b;
    private static RunningNode c;
    private static RunningNode d;

    @Rule
    public final NodeLogs logs = new NodeLogs(() -> NodeLogs.of(a, b, c, d));

    @BeforeClass
    public static void startChainWithBackendsOnA() throws Exception {
        web = new HttpBackend("web-A");
        grpc = new GrpcBackend("grpc-A");
        echo = new EchoServer();
        nearbyAtA = new HttpBackend("nearby-A");
        localAtD = new HttpBackend("local-D");
        a = RunningNode.start("A", List.of());
        new Services()
                .with("web", web.address())
                .with("grpc-greeter", grpc.address())
                .with("echo", echo.address())
                .with("nearby", nearbyAtA.address())
                .writeTo(a);
        b = RunningNode.start("B", List.of(), "--nodes=" + a.address);
        c = RunningNode.start("C", List.of(), "--nodes=" + b.address);
        d = RunningNode.start("D", List.of(), "--nodes=" + c.address);
        new Services().with("d-local", localAtD.address()).writeTo(d);
        for (RunningNode node : List.of(a, b, c, d)) {
            node.awaitUp();
        }
        for (String service : List.of("web", "grpc-greeter", "echo", "nearby")) {
            Await.until(
                    "D learns " + service + " from A",
                    20_000,
                    () -> d.routesTo(service).stream().anyMatch(r -> r.path().equals(List.of("A", "B", "C", "D"))));
        }
        Await.until(
                "A learns d-local from D", 20_000, () -> !a.routesTo("d-local").isEmpty());
    }

    @AfterClass
    public static void stopAll() throws Exception {
        for (RunningNode node : new RunningNode[] {a, b, c, d}) {
            if (node != null) {
                node.close();
            }
        }
        for (AutoCloseable backend : new AutoCloseable[] {web, grpc, echo, nearbyAtA, localAtD}) {
            if (backend != null) {
                backend.close();
            }
        }
    }

    @Test
    public void t1_curlReachesAnHttpServerThreeHopsAwayAsForwardProxyAndWithMicroService() throws Exception {
        String forward = Clients.curl("-s", "-i", "-x", "http://" + d.proxy, "http://web/hello");
        assertOk(forward, "HTTP/1.1 200");
        assertTrue(forward, forward.endsWith("hello from web-A\n"));

        String named = Clients.curl("-s", "-i", "-H", "Micro-Service: web", "http://" + d.proxy + "/hello");
        assertOk(named, "HTTP/1.1 200");
        assertTrue(named, named.endsWith("hello from web-A\n"));

        // A streamed request body, 3 MB, checked byte for byte at A.
        Path body = Files.createTempFile("upload", ".bin");
        try {
            try (OutputStream out = Files.newOutputStream(body)) {
                Pattern.write(out, 3_000_000);
            }
            // curl asks with Expect: 100-continue for a body this big; the interim answer comes first.
            String upload = Clients.curl(
                    "-s", "-i", "-x", "http://" + d.proxy, "--data-binary", "@" + body, "http://web/upload");
            String interim = "HTTP/1.1 100 Continue\r\n\r\n";
            assertTrue(upload, upload.startsWith(interim));
            upload = upload.substring(interim.length());
            assertOk(upload, "HTTP/1.1 200");
            assertTrue(upload, upload.endsWith("3000000 " + Long.toHexString(Pattern.crc(3_000_000)) + " -1\n"));
        } finally {
            Files.delete(body);
        }
    }

    @Test
    public void t2_curlHttp2PriorKnowledgeNamesTheServiceInTheAuthority() throws Exception {
        Path message = Files.createTempFile("grpc", ".bin");
        try {
            // One gRPC message by hand: not compressed, 4 bytes long, "curl".
            Files.write(message, new byte[] {0, 0, 0, 0, 4, 'c', 'u', 'r', 'l'});
            String out = Clients.curl(
                    "-s",
                    "-i",
                    "--http2-prior-knowledge",
                    "--connect-to",
                    "grpc-greeter:80:" + d.proxy,
                    "-H",
                    "content-type: application/grpc",
                    "-H",
                    "te: trailers",
                    "--data-binary",
                    "@" + message,
                    "http://grpc-greeter/test.Echo/Greet");

            assertOk(out, "HTTP/2 200");
            assertTrue(out, out.contains("hello curl"));
            // curl -i prints trailers after the body.
            assertTrue(out, out.toLowerCase(Locale.ROOT).contains("served-by: grpc-a"));
            assertTrue(out, out.toLowerCase(Locale.ROOT).contains("grpc-status: 0"));
        } finally {
            Files.delete(message);
        }
    }

    @Test
    public void t3_grpcJavaUnaryAndBidirectionalStreamingWithTrailersIntact() throws Exception {
        ManagedChannel channel = Clients.grpc(d.proxy, "grpc-greeter");
        try {
            AtomicReference<Metadata> headers = new AtomicReference<>();
            AtomicReference<Metadata> trailers = new AtomicReference<>();
            io.grpc.Channel capturing = ClientInterceptors.intercept(
                    channel, MetadataUtils.newCaptureMetadataInterceptor(headers, trailers));

            byte[] greeting = ClientCalls.blockingUnaryCall(
                    capturing, GrpcBackend.GREET, Clients.deadline(), "grpc".getBytes(StandardCharsets.UTF_8));
            assertEquals("hello grpc", new String(greeting, StandardCharsets.UTF_8));
            assertEquals("grpc-A", trailers.get().get(GrpcBackend.SERVED_BY));
            assertEquals(
                    THROUGH_CHAIN, headers.get().get(Metadata.Key.of("micro-path", Metadata.ASCII_STRING_MARSHALLER)));

            // Bidirectional: each message is answered before the next is sent, then a burst, then the trailers.
            BlockingQueue<Object> events = new LinkedBlockingQueue<>();
            ClientCall<byte[], byte[]> call = capturing.newCall(GrpcBackend.SHOUT, Clients.deadline());
            call.start(
                    new ClientCall.Listener<>() {
                        @Override
                        public void onMessage(byte[] message) {
                            events.add(new String(message, StandardCharsets.UTF_8));
                        }

                        @Override
                        public void onClose(Status status, Metadata closing) {
                            events.add(status);
                        }
                    },
                    new Metadata());
            call.request(Integer.MAX_VALUE);
            for (int i = 0; i < 20; i++) {
                call.sendMessage(("ping " + i).getBytes(StandardCharsets.UTF_8));
                assertEquals("PING " + i, events.poll(Clients.TIMEOUT_SECONDS, TimeUnit.SECONDS));
            }
            for (int i = 0; i < 200; i++) {
                call.sendMessage(("burst " + i).getBytes(StandardCharsets.UTF_8));
            }
            call.halfClose();
            for (int i = 0; i < 200; i++) {
                assertEquals("BURST " + i, events.poll(Clients.TIMEOUT_SECONDS, TimeUnit.SECONDS));
            }
            Object end = events.poll(Clients.TIMEOUT_SECONDS, TimeUnit.SECONDS);
            assertTrue(String.valueOf(end), end instanceof Status status && status.isOk());
            assertEquals("220", trailers.get().get(GrpcBackend.SHOUTED));
        } finally {
            channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    @Test
    public void t4_aRawSocketThroughConnectIsEchoedAndHalfCloseEndsTheStream() throws Exception {
        try (Socket socket = Clients.connect(d.proxy, Clients.TIMEOUT_SECONDS * 1000)) {
            Clients.write(socket, "CONNECT echo:7 HTTP/1.1\r\nHost: echo:7\r\n\r\n");
            InputStream in = socket.getInputStream();
            Clients.Head head = Clients.readHead(in);
            assertEquals(head.toString(), 200, head.status());
            assertEquals(head.toString(), THROUGH_CHAIN, head.header("Micro-Path"));

            // Interactive first: each line comes back before the next is sent.
            for (int i = 0; i < 10; i++) {
                byte[] line = ("line " + i + "\n").getBytes(StandardCharsets.US_ASCII);
                socket.getOutputStream().write(line);
                socket.getOutputStream().flush();
                assertEquals("line " + i + "\n", new String(in.readNBytes(line.length), StandardCharsets.US_ASCII));
            }

            // Then 8 MB written while it is read back; the client's half-close must reach the echo server, whose
            // own end of output must come back as the end of the stream.
            long total = 8_000_000;
            CompletableFuture<Long> writer = CompletableFuture.supplyAsync(() -> {
                try {
                    long crc = Pattern.write(socket.getOutputStream(), total);
                    socket.shutdownOutput();
                    return crc;
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            Pattern.Check echoed = Pattern.read(in, Long.MAX_VALUE);
            assertEquals(echoed.crc(), (long) writer.get(Clients.TIMEOUT_SECONDS, TimeUnit.SECONDS));
            assertTrue(echoed.toString(), echoed.matches(total));
        }
    }

    @Test
    public void t5_anUnknownServiceIs502NoRouteInEveryForm() throws Exception {
        String forward = Clients.curl("-s", "-i", "-x", "http://" + d.proxy, "http://nowhere/hello");
        assertTrue(forward, forward.startsWith("HTTP/1.1 502"));
        assertTrue(forward, forward.contains("no route to service nowhere"));

        String named = Clients.curl("-s", "-i", "-H", "Micro-Service: nowhere", "http://" + d.proxy + "/");
        assertTrue(named, named.startsWith("HTTP/1.1 502"));
        assertTrue(named, named.contains("no route to service nowhere"));

        try (Socket socket = Clients.connect(d.proxy, Clients.TIMEOUT_SECONDS * 1000)) {
            Clients.write(socket, "CONNECT nowhere:7 HTTP/1.1\r\nHost: nowhere:7\r\n\r\n");
            InputStream in = socket.getInputStream();
            Clients.Head head = Clients.readHead(in);
            assertEquals(head.toString(), 502, head.status());
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            body.write(in.readNBytes((int) Math.max(0, head.contentLength())));
            assertTrue(
                    body.toString(StandardCharsets.UTF_8),
                    body.toString(StandardCharsets.UTF_8).contains("no route to service nowhere"));
        }

        // The listener still serves everyone else.
        assertTrue(Clients.get(d.proxy, "web", "/hello").endsWith("hello from web-A\n"));
    }

    @Test
    public void t6_theLocalInstanceWinsAndWhenItStopsCallsFailOverToA() throws Exception {
        HttpBackend nearbyAtD = new HttpBackend("nearby-D");
        try {
            new Services()
                    .with("d-local", localAtD.address())
                    .with("nearby", nearbyAtD.address())
                    .writeTo(d);
            Await.until("D has its own nearby and A's", 10_000, () -> {
                List<Route> routes = d.routesTo("nearby");
                return routes.stream().anyMatch(Route::isLocal)
                        && routes.stream().anyMatch(r -> r.router().equals("A"));
            });

            for (int i = 0; i < 20; i++) {
                String answer = Clients.get(d.proxy, "nearby", "/hello");
                assertOk(answer, "HTTP/1.1 200", "D");
                assertTrue("call " + i + ": " + answer, answer.endsWith("hello from nearby-D\n"));
            }

            // The instance stops: its port now refuses connections, and it stays in the services file.
            nearbyAtD.close();
            List<String> failures = new ArrayList<>();
            long start = System.nanoTime();
            for (int i = 0; i < 20; i++) {
                String answer = Clients.get(d.proxy, "nearby", "/hello");
                if (!answer.startsWith("HTTP/1.1 200") || !answer.endsWith("hello from nearby-A\n")) {
                    failures.add("call " + i + ": " + answer);
                } else {
                    assertOk(answer, "HTTP/1.1 200");
                }
            }
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            System.out.printf(
                    "failover: 20 calls after D's instance stopped took %d ms, %d failed%n", millis, failures.size());
            assertEquals("calls after the local instance stopped that failed: " + failures, List.of(), failures);
            assertTrue(d.routesTo("nearby").stream().anyMatch(Route::isLocal));
        } finally {
            nearbyAtD.close();
            new Services().with("d-local", localAtD.address()).writeTo(d);
        }
    }

    @Test
    public void t7_microNetworkRoutesAtAAsksDThroughTheNetwork() throws Exception {
        List<Route> direct = d.routes();
        Run run = a.micro().run("network", "routes", "--node", d.address, "--proxy-address=" + a.proxy, "--json");
        assertEquals(run.err(), 0, run.exit());
        List<Route> answered = new Gson().fromJson(run.out(), new TypeToken<List<Route>>() {}.getType());
        System.out.printf("micro network routes --node %s at A answered in %d ms%n", d.address, run.millis());

        // D's view, not A's: d-local is D's own, web is three hops away through C.
        assertTrue(
                run.out(),
                answered.stream()
                        .anyMatch(r -> r.service().equals("d-local")
                                && r.isLocal()
                                && r.router().equals("D")
                                && r.address().equals(localAtD.address())));
        assertTrue(
                run.out(),
                answered.stream()
                        .anyMatch(r -> r.service().equals("go.micro.network")
                                && r.isLocal()
                                && r.router().equals("D")));
        assertTrue(
                run.out(),
                answered.stream()
                        .anyMatch(r -> r.service().equals("web")
                                && r.gateway().equals("C")
                                && r.path().equals(List.of("A", "B", "C", "D"))));
        assertFalse(run.out(), answered.stream().anyMatch(r -> r.service().equals("web") && r.isLocal()));
        assertEquals(services(direct), services(answered));

        // By id, and as a table.
        Run table = a.micro().run("network", "routes", "--node=D", "--proxy-address=" + a.proxy);
        assertEquals(table.err(), 0, table.exit());
        String header = table.out().lines().findFirst().orElse("");
        for (String column : List.of("SERVICE", "ADDRESS", "GATEWAY", "ROUTER", "NETWORK", "METRIC", "LINK")) {
            assertTrue(table.out(), header.contains(column));
        }
        assertTrue(
                table.out(),
                table.out().lines().anyMatch(l -> l.startsWith("d-local") && l.contains(localAtD.address())));

        // A node nobody knows is refused with a clear message, not a hang.
        String unknown = "127.0.0.1:" + Distribution.freePort();
        Run nobody = a.micro().run("network", "routes", "--node", unknown, "--proxy-address=" + a.proxy);
        assertEquals(nobody.out() + nobody.err(), 1, nobody.exit());
        assertTrue(nobody.err(), nobody.err().contains(unknown));
    }

    private static List<String> services(List<Route> routes) {
        return routes.stream().map(Route::service).distinct().sorted().toList();
    }

    private static void assertOk(String response, String status) {
        assertOk(response, status, THROUGH_CHAIN);
    }

    /** The response has {@code status} and names {@code path} in its Micro-Path header. */
    private static void assertOk(String response, String status, String path) {
        assertTrue(response, response.startsWith(status));
        String header = response.lines()
                .takeWhile(line -> !line.isEmpty())
                .filter(line -> line.toLowerCase(Locale.ROOT).startsWith("micro-path:"))
                .findFirst()
                .orElse(null);
        if (header == null) {
            fail("no Micro-Path header: " + response);
        }
        assertEquals(response, path, header.substring(header.indexOf(':') + 1).trim());
    }
}
