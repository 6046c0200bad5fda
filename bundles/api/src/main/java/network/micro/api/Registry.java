package network.micro.api;

import java.util.List;
import java.util.function.Consumer;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A source of local services: a file, multicast DNS, Consul, etcd. A node may run several; each is registered as an
 * OSGi service and may come and go at any time.
 */
@ConsumerType
public interface Registry {

    /** A short name for logs and routes, such as {@code static} or {@code mdns}. */
    String name();

    /** The services known now. */
    List<Service> services();

    /**
     * Calls {@code listener} with the full list of services now, and again after every change, until the returned
     * registration is closed. Calls for one listener never overlap.
     */
    Registration watch(Consumer<List<Service>> listener);
}
