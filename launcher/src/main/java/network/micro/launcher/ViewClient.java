package network.micro.launcher;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import network.micro.api.HostPort;
import network.micro.api.Network;

/**
 * Asks a node for one of its views, through its proxy listener, as a plain HTTP/1.1 proxy request to the service
 * {@value Network#SERVICE_NAME}. Small on purpose: it runs in a JVM that starts for this one request.
 */
final class ViewClient {

    static final int CONNECT_TIMEOUT_MILLIS = 1500;
    static final int READ_TIMEOUT_MILLIS = 5000;
    private static final int MAX_ANSWER_BYTES = 64 * 1024 * 1024;

    /** The node could not be asked, or refused: the message says which, for the user. */
    static final class ViewException extends Exception {

        private static final long serialVersionUID = 1L;

        ViewException(String message) {
            super(message);
        }
    }

    private final HostPort proxy;

    ViewClient(HostPort proxy) {
        this.proxy = proxy;
    }

    /**
     * Fetches {@code path} of the node's views; {@code node}, when not null, asks that node of the network instead.
     */
    String get(String path, String node) throws ViewException {
        String host = proxy.host().isEmpty() ? "127.0.0.1" : proxy.host();
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, proxy.port()), CONNECT_TIMEOUT_MILLIS);
            socket.setSoTimeout(READ_TIMEOUT_MILLIS);
            String request = "GET http://" + Network.SERVICE_NAME + path + " HTTP/1.1\r\n"
                    + "Host: " + Network.SERVICE_NAME + "\r\n"
                    + (node == null ? "" : "Micro-Node: " + node + "\r\n")
                    + "Connection: close\r\n\r\n";
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            return answer(socket.getInputStream());
        } catch (IOException e) {
            throw new ViewException("no node answers at " + host + ":" + proxy.port() + " (" + e.getMessage() + ")");
        }
    }

    private String answer(InputStream in) throws IOException, ViewException {
        String response = new String(readAll(in), StandardCharsets.UTF_8);
        int headEnd = response.indexOf("\r\n\r\n");
        if (!response.startsWith("HTTP/1.1 ") || headEnd < 0) {
            throw new ViewException("the answer from " + proxy + " is not HTTP");
        }
        String statusLine = response.substring(0, response.indexOf("\r\n"));
        String body = response.substring(headEnd + 4);
        if (!statusLine.startsWith("HTTP/1.1 200")) {
            throw new ViewException(body.isBlank() ? statusLine : body.strip());
        }
        return body;
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
            bytes.write(buffer, 0, read);
            if (bytes.size() > MAX_ANSWER_BYTES) {
                throw new IOException("answer larger than " + MAX_ANSWER_BYTES + " bytes");
            }
        }
        return bytes.toByteArray();
    }
}
