package network.micro.itests.proxy;

import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.MethodDescriptor.MethodType;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A real gRPC server on loopback with methods described by hand over raw bytes, no generated code: {@code Greet} is
 * unary, answers {@code hello NAME} and closes with the trailer {@code served-by}; {@code Shout} is bidirectional
 * streaming, answers each message in upper case as it comes, and closes with the trailer {@code shouted} (the count).
 */
final class GrpcBackend implements AutoCloseable {

    static final Metadata.Key<String> SERVED_BY = Metadata.Key.of("served-by", Metadata.ASCII_STRING_MARSHALLER);
    static final Metadata.Key<String> SHOUTED = Metadata.Key.of("shouted", Metadata.ASCII_STRING_MARSHALLER);
    static final MethodDescriptor<byte[], byte[]> GREET = method("Greet", MethodType.UNARY);
    static final MethodDescriptor<byte[], byte[]> SHOUT = method("Shout", MethodType.BIDI_STREAMING);

    private final Server server;

    GrpcBackend(String name) throws IOException {
        ServerServiceDefinition service = ServerServiceDefinition.builder("test.Echo")
                .addMethod(GREET, greet(name))
                .addMethod(SHOUT, shout())
                .build();
        server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .addService(service)
                .build()
                .start();
    }

    String address() {
        return "127.0.0.1:" + server.getPort();
    }

    private static ServerCallHandler<byte[], byte[]> greet(String name) {
        return (call, headers) -> {
            call.request(1);
            return new ServerCall.Listener<>() {
                @Override
                public void onMessage(byte[] message) {
                    call.sendHeaders(new Metadata());
                    call.sendMessage(
                            ("hello " + new String(message, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8));
                    Metadata trailers = new Metadata();
                    trailers.put(SERVED_BY, name);
                    call.close(Status.OK, trailers);
                }
            };
        };
    }

    private static ServerCallHandler<byte[], byte[]> shout() {
        return (call, headers) -> {
            call.request(1);
            call.sendHeaders(new Metadata());
            return new ServerCall.Listener<>() {
                private int count;

                @Override
                public void onMessage(byte[] message) {
                    count++;
                    call.sendMessage(new String(message, StandardCharsets.UTF_8)
                            .toUpperCase(Locale.ROOT)
                            .getBytes(StandardCharsets.UTF_8));
                    call.request(1);
                }

                @Override
                public void onHalfClose() {
                    Metadata trailers = new Metadata();
                    trailers.put(SHOUTED, String.valueOf(count));
                    call.close(Status.OK, trailers);
                }
            };
        };
    }

    private static MethodDescriptor<byte[], byte[]> method(String name, MethodType type) {
        return MethodDescriptor.<byte[], byte[]>newBuilder()
                .setType(type)
                .setFullMethodName(MethodDescriptor.generateFullMethodName("test.Echo", name))
                .setRequestMarshaller(Bytes.INSTANCE)
                .setResponseMarshaller(Bytes.INSTANCE)
                .build();
    }

    @Override
    public void close() {
        server.shutdownNow();
    }

    /** Messages as they are: raw bytes. */
    private enum Bytes implements MethodDescriptor.Marshaller<byte[]> {
        INSTANCE;

        @Override
        public InputStream stream(byte[] value) {
            return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
            try {
                return stream.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
