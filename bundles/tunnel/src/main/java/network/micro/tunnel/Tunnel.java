package network.micro.tunnel;

import java.net.InetSocketAddress;
import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/** A running set of links from one node: a listener, the seeds it dials and the links that are up. */
@ProviderType
public interface Tunnel extends AutoCloseable {

    /** The address the tunnel listens on, with the port actually bound; null for a tunnel that only dials. */
    InetSocketAddress localAddress();

    /** The links that are up now, a snapshot. */
    List<Link> links();

    /**
     * Adds a seed: dials {@code hostPort} now and again whenever its link is lost, until the tunnel closes. The host
     * name is resolved again at every attempt.
     *
     * @param hostPort {@code host:port} of the node to dial
     */
    void dial(String hostPort);

    /** Stops listening and dialling, and closes every link, telling the listener each link went down. */
    @Override
    void close();
}
