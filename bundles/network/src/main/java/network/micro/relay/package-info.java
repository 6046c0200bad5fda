/**
 * Byte streams to services anywhere on the network. The proxy's ingress names a service once; a {@link
 * network.micro.relay.ServiceConnector} finds the way there, local instances first, and from then on bytes are
 * relayed without being parsed again.
 */
@Export
@Version("1.0.0")
package network.micro.relay;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
