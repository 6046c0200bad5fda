package network.micro.tunnel;

import org.osgi.annotation.versioning.ProviderType;

/** Starts tunnels on event loops shared by every tunnel of this bundle. Registered as an OSGi service. */
@ProviderType
public interface TunnelFactory {

    /**
     * Starts a tunnel: binds the listen address (if any), then dials every seed in the background.
     *
     * @param options what to listen on, whom to dial and how to authenticate
     * @param listener told of links coming up and going down, control messages and inbound streams
     * @return the running tunnel; {@link Tunnel#close()} stops it
     * @throws java.io.UncheckedIOException if the listen address cannot be bound or the certificates cannot be read
     */
    Tunnel start(TunnelOptions options, LinkListener listener);
}
