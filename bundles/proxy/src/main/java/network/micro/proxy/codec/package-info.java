/**
 * The seam between the proxy listener and the protocol codecs. The listener accepts connections, asks every {@link
 * network.micro.proxy.codec.IngressCodec} service which protocol the first bytes speak, and hands the connection to
 * the one that recognises them. A codec reads the target service once and relays bytes through an {@link
 * network.micro.proxy.codec.IngressContext}. Codecs are OSGi services (a whiteboard), so one can be replaced while the
 * node runs: the connections it serves are closed, the others go on.
 */
@Export
@Version("1.0.0")
package network.micro.proxy.codec;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
