/**
 * Small building blocks the node's bundles share: a {@link network.micro.support.Backoff} between attempts to reach
 * something lost, and the {@link network.micro.support.ServiceToRegister} entries a registry adapter is configured
 * with.
 */
@Export
@Version("1.0.0")
package network.micro.support;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
