/**
 * The tables and JSON of the node's views, shared by the Gogo commands and the command line so that both print
 * exactly the same thing.
 */
@Export
@Version("1.0.0")
package network.micro.shell.view;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
