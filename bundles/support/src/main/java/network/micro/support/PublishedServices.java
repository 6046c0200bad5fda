package network.micro.support;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import network.micro.api.Registration;
import network.micro.api.Registry;
import network.micro.api.Service;

/**
 * What a {@link Registry} has told its watchers: the services now, and who to tell of the next change. A watcher hears
 * the list at once, then every change, one call at a time and in order; a list equal to the last is not repeated.
 */
public final class PublishedServices {

    private static final Logger LOG = System.getLogger(PublishedServices.class.getName());

    private final String registry;
    private final List<Consumer<List<Service>>> listeners = new CopyOnWriteArrayList<>();
    private final Object publishing = new Object();
    private volatile List<Service> services = List.of();

    /** @param registry the registry's name, for the log */
    public PublishedServices(String registry) {
        this.registry = registry;
    }

    /** Tells every watcher of {@code next}, unless it is what they heard last; returns whether it was news. */
    public boolean publish(List<Service> next) {
        List<Service> copy = List.copyOf(next);
        synchronized (publishing) {
            if (copy.equals(services)) {
                return false;
            }
            services = copy;
            LOG.log(
                    Level.INFO,
                    "{0} registry: {1} services: {2}",
                    registry,
                    copy.size(),
                    String.join(", ", copy.stream().map(Service::name).toList()));
            for (Consumer<List<Service>> listener : listeners) {
                listener.accept(copy);
            }
            return true;
        }
    }

    /** The services last published. */
    public List<Service> services() {
        return services;
    }

    /** See {@link Registry#watch}. */
    public Registration watch(Consumer<List<Service>> listener) {
        synchronized (publishing) {
            listeners.add(listener);
            listener.accept(services);
        }
        return () -> listeners.remove(listener);
    }
}
