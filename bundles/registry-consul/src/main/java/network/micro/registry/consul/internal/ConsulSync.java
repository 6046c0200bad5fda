package network.micro.registry.consul.internal;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import network.micro.api.Service;
import network.micro.support.Backoff;
import network.micro.support.ServiceToRegister;

/**
 * Keeps a copy of Consul's passing service instances: one blocking query follows the catalog's service names, and
 * one per service follows its healthy instances. Registers this node's services with the agent, each with a TTL
 * check it marks passing every third of the TTL, registering again when the agent has forgotten it.
 *
 * <p>When Consul is lost the copy is kept for the grace period while the catalog query is retried with a capped,
 * jittered backoff; once back, every service is read again from index 0 so that nothing missed lingers. Queries
 * complete on the HTTP client's threads; the table is changed under this object's lock, and {@code publish}
 * receives whole lists.
 */
final class ConsulSync implements AutoCloseable {

    private static final Logger LOG = System.getLogger(ConsulSync.class.getName());
    private static final long SPIN_GUARD_MILLIS = 250;

    private final ConsulSettings settings;
    private final ConsulApi api;
    private final Consumer<List<Service>> publish;
    private final Backoff backoff;
    private final ScheduledExecutorService timer;
    private final Map<String, Service> table = new TreeMap<>();
    private final Map<String, Long> watched = new HashMap<>();
    private volatile boolean closed;
    private long generation;
    private Instant lostSince;
    private ScheduledFuture<?> graceEnd;

    ConsulSync(ConsulSettings settings, Consumer<List<Service>> publish) {
        this.settings = settings;
        this.api = new ConsulApi(settings.addresses(), settings.token());
        this.publish = publish;
        this.backoff = new Backoff(settings.reconnectFirst(), settings.reconnectMax());
        this.timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "micro-consul");
            thread.setDaemon(true);
            return thread;
        });
    }

    void start() {
        timer.execute(this::registerAll);
        watchCatalog(0);
        if (!settings.register().isEmpty()) {
            long beat = Math.max(300, settings.checkTtl().toMillis() / 3);
            timer.scheduleWithFixedDelay(this::heartbeat, beat, beat, TimeUnit.MILLISECONDS);
        }
    }

    private void watchCatalog(long index) {
        if (closed) {
            return;
        }
        long started = System.nanoTime();
        api.read("/catalog/services", index, settings.blockingWait()).whenComplete((answer, error) -> {
            if (closed) {
                return;
            }
            try {
                if (error != null) {
                    throw cause(error);
                }
                Set<String> names = ConsulJson.serviceNames(answer.body());
                follow(names);
                long next = nextIndex(index, answer.index());
                later(() -> watchCatalog(next), pause(index, answer.index(), started));
            } catch (IOException e) {
                lost(e);
                later(() -> watchCatalog(0), backoff.next().toMillis());
            }
        });
    }

    /** Starts following new names, forgets removed ones; after a loss, reads every service again. */
    private synchronized void follow(Set<String> names) {
        boolean reconcile = reconnected();
        if (reconcile) {
            generation++;
            watched.clear();
        }
        boolean changed = table.keySet().retainAll(names);
        watched.keySet().retainAll(names);
        for (String name : names) {
            if (!watched.containsKey(name)) {
                watched.put(name, generation);
                long current = generation;
                later(() -> watchService(name, 0, current, 0), 0);
            }
        }
        if (changed) {
            publish.accept(services());
        }
    }

    private void watchService(String name, long index, long asOf, int failures) {
        if (!following(name, asOf)) {
            return;
        }
        long started = System.nanoTime();
        String path = "/health/service/" + ConsulApi.segment(name) + "?passing=true";
        api.read(path, index, settings.blockingWait()).whenComplete((answer, error) -> {
            if (!following(name, asOf)) {
                return;
            }
            try {
                if (error != null) {
                    throw cause(error);
                }
                Service service = ConsulJson.service(
                        name,
                        answer.body(),
                        problem -> LOG.log(Level.WARNING, "consul registry: {0} from {1}", problem, api.endpoint()));
                update(name, asOf, service);
                long next = nextIndex(index, answer.index());
                later(() -> watchService(name, next, asOf, 0), pause(index, answer.index(), started));
            } catch (IOException e) {
                LOG.log(Level.DEBUG, "consul registry: reading service {0} failed: {1}", name, e.getMessage());
                long wait = Math.min(settings.reconnectMax().toMillis(), 100L << Math.min(failures, 10));
                later(() -> watchService(name, 0, asOf, failures + 1), wait);
            }
        });
    }

    private synchronized boolean following(String name, long asOf) {
        return !closed && Long.valueOf(asOf).equals(watched.get(name));
    }

    private synchronized void update(String name, long asOf, Service service) {
        if (!Long.valueOf(asOf).equals(watched.get(name)) || service.equals(table.get(name))) {
            return;
        }
        table.put(name, service);
        publish.accept(services());
    }

    private List<Service> services() {
        List<Service> services = new ArrayList<>();
        for (Service service : table.values()) {
            if (!service.instances().isEmpty()) {
                services.add(service);
            }
        }
        return services;
    }

    /**
     * The index for the next blocking query: Consul's rule is to start again from 0 when the index goes backwards
     * (a restored snapshot, a restarted agent), and never to block on 0.
     */
    static long nextIndex(long previous, long answered) {
        if (answered < previous) {
            return 0;
        }
        return Math.max(1, answered);
    }

    /** A short pause when a blocking query came back at once with nothing new: a faulty agent is not hammered. */
    private static long pause(long asked, long answered, long startedNanos) {
        boolean quick = System.nanoTime() - startedNanos < TimeUnit.MILLISECONDS.toNanos(SPIN_GUARD_MILLIS);
        return asked > 0 && answered == asked && quick ? SPIN_GUARD_MILLIS : 0;
    }

    private void later(Runnable task, long millis) {
        if (!closed) {
            try {
                timer.schedule(task, millis, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                // Closed meanwhile.
            }
        }
    }

    private static IOException cause(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof ConsulApi.CompletionFailure && cause.getCause() instanceof IOException io) {
            return io;
        }
        return cause instanceof IOException io ? io : new IOException(cause.toString(), cause);
    }

    private synchronized void lost(IOException cause) {
        if (lostSince != null) {
            LOG.log(Level.DEBUG, "consul registry: {0} still unreachable: {1}", api.endpoint(), cause.getMessage());
            return;
        }
        lostSince = Instant.now();
        LOG.log(
                Level.WARNING,
                "consul registry: lost Consul at {0} ({1}); keeping the {2} services known for {3}s while"
                        + " reconnecting",
                api.endpoint(),
                cause.getMessage(),
                services().size(),
                settings.grace().toSeconds());
        graceEnd = timer.schedule(this::graceOver, settings.grace().toMillis(), TimeUnit.MILLISECONDS);
    }

    private synchronized void graceOver() {
        if (lostSince == null || closed) {
            return;
        }
        LOG.log(
                Level.WARNING,
                "consul registry: Consul at {0} unreachable for {1}s; dropping its {2} services until it is back",
                api.endpoint(),
                Duration.between(lostSince, Instant.now()).toSeconds(),
                services().size());
        table.clear();
        publish.accept(List.of());
    }

    /** Ends a loss, if there was one; true when every service must be read again. */
    private boolean reconnected() {
        backoff.reset();
        if (lostSince == null) {
            return false;
        }
        if (graceEnd != null) {
            graceEnd.cancel(false);
            graceEnd = null;
        }
        LOG.log(
                Level.INFO,
                "consul registry: Consul at {0} is back after {1}s; reading every service again",
                api.endpoint(),
                Duration.between(lostSince, Instant.now()).toSeconds());
        lostSince = null;
        timer.execute(this::registerAll);
        return true;
    }

    private void registerAll() {
        for (ServiceToRegister service : settings.register()) {
            register(service);
        }
    }

    private void register(ServiceToRegister service) {
        String id = settings.instanceId(service);
        String body = ConsulJson.registration(
                service, id, settings.checkId(service), settings.checkTtl().toSeconds());
        try {
            HttpResponse<String> response = api.put("/agent/service/register", body);
            if (response.statusCode() == 200) {
                LOG.log(
                        Level.INFO,
                        "consul registry: registered {0} ({1}) at {2} as {3}",
                        service.name(),
                        service.address(),
                        api.endpoint(),
                        id);
            } else {
                LOG.log(
                        Level.WARNING,
                        "consul registry: registering {0} failed: {1}",
                        id,
                        ConsulApi.failed(URI.create(api.endpoint()), "/agent/service/register", response)
                                .getMessage());
            }
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "consul registry: registering {0} at {1} failed: {2}", id, api.endpoint(), e);
        }
    }

    /** Marks every registered instance's TTL check passing; registers again any the agent no longer knows. */
    private void heartbeat() {
        for (ServiceToRegister service : settings.register()) {
            try {
                HttpResponse<String> response =
                        api.put("/agent/check/pass/" + ConsulApi.segment(settings.checkId(service)), "");
                if (response.statusCode() != 200) {
                    LOG.log(
                            Level.WARNING,
                            "consul registry: agent at {0} answered {1} for the check of {2}; registering it again",
                            api.endpoint(),
                            response.statusCode(),
                            settings.instanceId(service));
                    register(service);
                }
            } catch (IOException e) {
                LOG.log(Level.DEBUG, "consul registry: check of {0} not renewed: {1}", service, e.getMessage());
            }
        }
    }

    /** Stops every query and removes this node's instances from the agent. */
    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            watched.clear();
        }
        timer.shutdownNow();
        for (ServiceToRegister service : settings.register()) {
            String id = settings.instanceId(service);
            try {
                api.put("/agent/service/deregister/" + ConsulApi.segment(id), "");
            } catch (IOException e) {
                LOG.log(Level.DEBUG, "consul registry: deregistering {0} failed: {1}", id, e.getMessage());
            }
        }
    }
}
