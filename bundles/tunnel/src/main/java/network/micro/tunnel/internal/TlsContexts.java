package network.micro.tunnel.internal;

import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.io.UncheckedIOException;
import javax.net.ssl.SSLException;
import network.micro.tunnel.TunnelOptions;

/**
 * The TLS contexts of one tunnel. Both ends always present a certificate (the listener requires one), because the
 * token proofs are bound to both. Without a CA any certificate is accepted and trust comes from the token alone; with
 * one, both ends verify the other's chain against it. Host names are not checked: nodes are dialled by address.
 *
 * @param server for connections this node accepts
 * @param client for connections this node dials
 */
record TlsContexts(SslContext server, SslContext client) {

    private static final ApplicationProtocolConfig ALPN_H2 = new ApplicationProtocolConfig(
            ApplicationProtocolConfig.Protocol.ALPN,
            ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
            ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
            ApplicationProtocolNames.HTTP_2);

    private static final String[] PROTOCOLS = {"TLSv1.3"};

    static TlsContexts create(TunnelOptions options) {
        SslContextBuilder server;
        SslContextBuilder client = SslContextBuilder.forClient();
        if (options.certificateFile() != null) {
            server = SslContextBuilder.forServer(
                    options.certificateFile().toFile(), options.keyFile().toFile());
            client.keyManager(
                    options.certificateFile().toFile(), options.keyFile().toFile());
        } else {
            GeneratedCertificate generated = GeneratedCertificate.create(options.nodeId());
            server = SslContextBuilder.forServer(generated.key(), generated.certificate());
            client.keyManager(generated.key(), generated.certificate());
        }
        if (options.caFile() != null) {
            server.trustManager(options.caFile().toFile());
            client.trustManager(options.caFile().toFile());
        } else {
            server.trustManager(InsecureTrustManagerFactory.INSTANCE);
            client.trustManager(InsecureTrustManagerFactory.INSTANCE);
        }
        server.clientAuth(ClientAuth.REQUIRE);
        client.endpointIdentificationAlgorithm(null);
        try {
            return new TlsContexts(configure(server).build(), configure(client).build());
        } catch (SSLException | IllegalArgumentException e) {
            throw new UncheckedIOException(
                    new SSLException("cannot set up TLS for node " + options.nodeId() + ": " + e.getMessage(), e));
        }
    }

    private static SslContextBuilder configure(SslContextBuilder builder) {
        return builder.sslProvider(SslProvider.JDK).protocols(PROTOCOLS).applicationProtocolConfig(ALPN_H2);
    }
}
