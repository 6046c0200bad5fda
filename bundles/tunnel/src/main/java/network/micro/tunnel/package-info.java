/**
 * Links between nodes: one TLS connection per pair of nodes carrying HTTP/2, authenticated by a shared token that never
 * crosses the wire.
 *
 * <p>A {@link network.micro.tunnel.TunnelFactory} starts a {@link network.micro.tunnel.Tunnel} that listens, dials its
 * seeds and keeps the resulting {@link network.micro.tunnel.Link}s alive. Every link carries newline-delimited JSON
 * control messages on one long-lived stream, and any number of proxied streams beside it. Events reach the caller
 * through a {@link network.micro.tunnel.LinkListener}.
 */
@Export
@Version("1.0.0")
package network.micro.tunnel;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
