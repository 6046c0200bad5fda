/**
 * The value types and service interfaces every bundle of micro network codes against.
 *
 * <p>Values are immutable records. Services are registered in the OSGi service registry: a {@link
 * network.micro.api.Registry} per source of local services, one {@link network.micro.api.Router} and one
 * {@link network.micro.api.Network} per node.
 */
@Export
@Version("1.0.0")
package network.micro.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
