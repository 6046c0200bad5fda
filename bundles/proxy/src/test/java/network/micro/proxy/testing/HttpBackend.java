package network.micro.proxy.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.zip.CRC32;

/**
 * A real HTTP/1.1 server on loopback (the JDK's): {@code /hello} greets, {@code /echo} streams the request body
 * back, {@code /bytes?n=N} streams N bytes of {@link #pattern} without a length, {@code /sum} answers the length and
 * CRC-32 of the request body.
 */
public final class HttpBackend implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(8);

    public HttpBackend(String name) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(executor);
        server.createContext("/hello", exchange -> {
            drain(exchange.getRequestBody());
            String header = exchange.getRequestHeaders().getFirst("Micro-Node");
            reply(exchange, "hello from " + name + (header == null ? "" : " for node " + header) + "\n");
        });
        server.createContext("/echo", exchange -> {
            exchange.sendResponseHeaders(200, 0);
            try (InputStream in = exchange.getRequestBody();
                    OutputStream out = exchange.getResponseBody()) {
                in.transferTo(out);
            }
        });
        server.createContext("/bytes", exchange -> {
            long n = Long.parseLong(exchange.getRequestURI().getQuery().substring(2));
            drain(exchange.getRequestBody());
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                byte[] chunk = new byte[64 * 1024];
                for (long sent = 0; sent < n; sent += chunk.length) {
                    int length = (int) Math.min(chunk.length, n - sent);
                    fill(chunk, sent, length);
                    out.write(chunk, 0, length);
                }
            }
        });
        server.createContext("/sum", exchange -> {
            CRC32 crc = new CRC32();
            long length = 0;
            byte[] buffer = new byte[64 * 1024];
            try (InputStream in = exchange.getRequestBody()) {
                for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
                    crc.update(buffer, 0, read);
                    length += read;
                }
            }
            reply(exchange, length + " " + Long.toHexString(crc.getValue()) + "\n");
        });
        server.start();
    }

    /** Byte {@code i} of every stream {@code /bytes} sends. */
    public static byte pattern(long i) {
        return (byte) ((i * 31) ^ (i >>> 11));
    }

    /** Puts bytes {@code offset} to {@code offset + length} of the pattern into {@code chunk}. */
    public static void fill(byte[] chunk, long offset, int length) {
        for (int i = 0; i < length; i++) {
            chunk[i] = pattern(offset + i);
        }
    }

    public InetSocketAddress address() {
        return server.getAddress();
    }

    private static void drain(InputStream in) throws IOException {
        try (in) {
            in.transferTo(OutputStream.nullOutputStream());
        }
    }

    private static void reply(HttpExchange exchange, String text) throws IOException {
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain");
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
