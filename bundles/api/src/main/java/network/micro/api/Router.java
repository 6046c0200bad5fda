package network.micro.api;

import java.util.List;
import java.util.function.Consumer;
import org.osgi.annotation.versioning.ProviderType;

/** The node's routing table, built from its registries and, once linked, from its peers' advertisements. */
@ProviderType
public interface Router {

    /** Every route in the table, sorted by service, then best first. */
    List<Route> routes();

    /**
     * The usable routes to {@code service}, best first: local routes, then remote routes by rising metric. Empty
     * when the service is unknown.
     */
    List<Route> lookup(String service);

    /** Calls {@code listener} after every change of the table until the registration is closed. */
    Registration watch(Consumer<RouteEvent> listener);
}
