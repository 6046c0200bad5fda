package network.micro.proxy.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A TCP echo server on loopback. It greets each connection with a line, echoes every byte until the client ends
 * its side, then writes {@code bye} and ends its own: a check that half-close travels both ways.
 */
public final class EchoServer implements AutoCloseable {

    public static final String GREETING = "echo ready\n";
    public static final String FAREWELL = "bye\n";

    private final ServerSocket server;
    private final ExecutorService executor = Executors.newCachedThreadPool();

    public EchoServer() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        executor.execute(this::accept);
    }

    public InetSocketAddress address() {
        return new InetSocketAddress(server.getInetAddress(), server.getLocalPort());
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                executor.execute(() -> echo(socket));
            } catch (IOException e) {
                return;
            }
        }
    }

    private static void echo(Socket socket) {
        try (socket;
                InputStream in = socket.getInputStream();
                OutputStream out = socket.getOutputStream()) {
            out.write(GREETING.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            byte[] buffer = new byte[64 * 1024];
            for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
                out.write(buffer, 0, read);
            }
            out.write(FAREWELL.getBytes(StandardCharsets.US_ASCII));
            socket.shutdownOutput();
        } catch (IOException e) {
            // The client went away; nothing to clean up beyond the socket.
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        executor.shutdownNow();
    }
}
