package network.micro.proxy.testing;

import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.MethodDescriptor.MethodType;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A real gRPC server on loopback, with methods described by hand over raw bytes (no generated code): {@code Greet}
 * is unary and answers {@code hello NAME} with a trailer {@code served-by}; {@code Shout} is bidirectional
 * streaming and answers each message in upper case.
 */
public final class GrpcBackend implements AutoCloseable {

    public static final Metadata.Key<String> SERVED_BY = Metadata.Key.of("served-by", Metadata.ASCII_STRING_MARSHALLER);

    public static final MethodDescriptor<byte[], byte[]> GREET = method("Greet", MethodType.UNARY);
    public static final MethodDescriptor<byte[], byte[]> SHOUT = method("Shout", MethodType.BIDI_STREAMING);

    private final Server server;

    public GrpcBackend(String name) throws IOException {
        ServerServiceDefinition service = ServerServiceDefinition.builder("test.Echo")
                .addMethod(GREET, greet(name))
                .addMethod(SHOUT, ServerCalls.asyncBidiStreamingCall(GrpcBackend::shout))
                .build();
        server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .addService(service)
                .build()
                .start();
    }

    public InetSocketAddress address() {
        return new InetSocketAddress("127.0.0.1", server.getPort());
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

    private static StreamObserver<byte[]> shout(StreamObserver<byte[]> responses) {
        return new StreamObserver<>() {
            @Override
            public void onNext(byte[] message) {
                responses.onNext(new String(message, StandardCharsets.UTF_8)
                        .toUpperCase(Locale.ROOT)
                        .getBytes(StandardCharsets.UTF_8));
            }

            @Override
            public void onError(Throwable t) {
                responses.onError(t);
            }

            @Override
            public void onCompleted() {
                responses.onCompleted();
            }
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
