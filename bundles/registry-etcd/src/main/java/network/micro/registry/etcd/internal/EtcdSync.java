package network.micro.registry.etcd.internal;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import network.micro.api.Service;
import network.micro.support.Backoff;
import network.micro.support.ServiceToRegister;

/**
 * Keeps a copy of the services under the prefix in step with etcd: reads them all, then follows a watch from the
 * revision read. Registers this node's services under a lease and keeps it alive. When etcd is lost it keeps the
 * copy for the grace period, tries again with a capped, jittered backoff, and on return registers again and reads
 * everything anew, so nothing missed while away lingers.
 *
 * <p>One thread runs the read-and-watch loop; a timer renews the lease, checks etcd, and ends the grace period.
 * Both change the table under this object's lock; {@code publish} receives whole lists and may be called from
 * either.
 */
final class EtcdSync implements AutoCloseable {

    private static final Logger LOG = System.getLogger(EtcdSync.class.getName());

    private final EtcdSettings settings;
    private final EtcdGateway gateway;
    private final Consumer<List<Service>> publish;
    private final ServiceTable table = new ServiceTable();
    private final Backoff backoff;
    private final ScheduledExecutorService timer;
    private final Thread thread;
    private final Object registering = new Object();
    private volatile boolean closed;
    private volatile EtcdGateway.Watch watch;
    private volatile long lease;
    private Instant lostSince;
    private ScheduledFuture<?> graceEnd;

    EtcdSync(EtcdSettings settings, Consumer<List<Service>> publish) {
        this.settings = settings;
        this.gateway = new EtcdGateway(settings.addresses());
        this.publish = publish;
        this.backoff = new Backoff(settings.reconnectFirst(), settings.reconnectMax());
        this.timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread timerThread = new Thread(runnable, "micro-etcd-lease");
            timerThread.setDaemon(true);
            return timerThread;
        });
        this.thread = new Thread(this::run, "micro-etcd-watch");
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
        long beat = Math.max(500, settings.heartbeat().toMillis());
        timer.scheduleWithFixedDelay(this::heartbeat, beat, beat, TimeUnit.MILLISECONDS);
    }

    private void run() {
        while (!closed) {
            try {
                session();
            } catch (IOException | RuntimeException e) {
                if (!closed) {
                    lost(e);
                }
            }
            if (!closed && !pause(backoff.next().toMillis())) {
                return;
            }
        }
    }

    /** One connected stretch: register, read everything, then follow the watch until it breaks. */
    private void session() throws IOException {
        register();
        EtcdGateway.Range range = gateway.range(settings.prefix());
        synchronized (this) {
            table.clear();
            for (EtcdGateway.KeyValue kv : range.keys()) {
                apply(kv);
            }
            reconnected();
            publish.accept(table.services());
        }
        try (EtcdGateway.Watch opened = gateway.watch(settings.prefix(), range.revision() + 1)) {
            watch = opened;
            while (!closed) {
                List<EtcdGateway.KeyValue> changes = opened.next();
                if (!changes.isEmpty()) {
                    synchronized (this) {
                        changes.forEach(this::apply);
                        publish.accept(table.services());
                    }
                }
            }
        } finally {
            watch = null;
        }
    }

    private void apply(EtcdGateway.KeyValue kv) {
        if (kv.value() == null) {
            table.remove(kv.key());
            return;
        }
        table.put(
                kv.key(),
                MicroServiceJson.decode(
                        kv.key(),
                        kv.value(),
                        problem -> LOG.log(Level.WARNING, "etcd registry: {0} at {1}", problem, gateway.endpoint())));
    }

    /** Grants a fresh lease and writes this node's keys under it; the previous lease, if any, is let go. */
    private void register() throws IOException {
        if (settings.register().isEmpty()) {
            return;
        }
        synchronized (registering) {
            long granted = gateway.grant(settings.leaseTtl());
            for (ServiceToRegister service : settings.register()) {
                String id = settings.instanceId(service);
                String key = MicroServiceJson.nodeKey(settings.prefix(), service.name(), id);
                gateway.put(key, MicroServiceJson.encode(service, id, "", Map.of()), granted);
            }
            long previous = lease;
            lease = granted;
            if (previous != 0) {
                revokeQuietly(previous);
            }
            LOG.log(
                    Level.DEBUG,
                    "etcd registry: registered {0} services at {1} under lease {2}",
                    settings.register().size(),
                    gateway.endpoint(),
                    Long.toHexString(granted));
        }
    }

    /** Renews the lease, or when nothing is registered checks that etcd answers; a silent etcd ends the watch. */
    private void heartbeat() {
        try {
            long current = lease;
            if (current == 0) {
                gateway.range(settings.prefix() + "\0");
            } else if (gateway.keepAlive(current) <= 0) {
                LOG.log(
                        Level.WARNING,
                        "etcd registry: lease {0} expired at {1}; registering {2} services again",
                        Long.toHexString(current),
                        gateway.endpoint(),
                        settings.register().size());
                register();
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.DEBUG, "etcd registry: heartbeat to {0} failed: {1}", gateway.endpoint(), e.toString());
            EtcdGateway.Watch open = watch;
            if (open != null) {
                open.close();
            }
        }
    }

    /** Notes the loss of etcd: logs once, and starts the grace period. Later failures log at debug only. */
    private synchronized void lost(Exception cause) {
        if (lostSince != null) {
            LOG.log(Level.DEBUG, "etcd registry: {0} still unreachable: {1}", gateway.endpoint(), cause.toString());
            return;
        }
        lostSince = Instant.now();
        LOG.log(
                Level.WARNING,
                "etcd registry: lost etcd at {0} ({1}); keeping the {2} services known for {3}s while reconnecting",
                gateway.endpoint(),
                cause.toString(),
                table.services().size(),
                settings.grace().toSeconds());
        graceEnd = timer.schedule(this::graceOver, settings.grace().toMillis(), TimeUnit.MILLISECONDS);
    }

    private synchronized void graceOver() {
        if (lostSince == null || closed) {
            return;
        }
        LOG.log(
                Level.WARNING,
                "etcd registry: etcd at {0} unreachable for {1}s; dropping its {2} services until it is back",
                gateway.endpoint(),
                Duration.between(lostSince, Instant.now()).toSeconds(),
                table.services().size());
        table.clear();
        publish.accept(List.of());
    }

    private void reconnected() {
        backoff.reset();
        if (graceEnd != null) {
            graceEnd.cancel(false);
            graceEnd = null;
        }
        if (lostSince != null) {
            LOG.log(
                    Level.INFO,
                    "etcd registry: etcd at {0} is back after {1}s; {2} services read again",
                    gateway.endpoint(),
                    Duration.between(lostSince, Instant.now()).toSeconds(),
                    table.services().size());
            lostSince = null;
        } else {
            LOG.log(
                    Level.INFO,
                    "etcd registry: connected to {0}; {1} services under {2}",
                    gateway.endpoint(),
                    table.services().size(),
                    settings.prefix());
        }
    }

    private static boolean pause(long millis) {
        try {
            Thread.sleep(millis);
            return true;
        } catch (InterruptedException e) {
            return false;
        }
    }

    /** Stops watching and deletes this node's keys by revoking their lease. */
    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        EtcdGateway.Watch open = watch;
        if (open != null) {
            open.close();
        }
        timer.shutdownNow();
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        long current = lease;
        if (current != 0) {
            revokeQuietly(current);
            lease = 0;
        }
    }

    private void revokeQuietly(long id) {
        try {
            gateway.revoke(id);
        } catch (IOException e) {
            LOG.log(
                    Level.DEBUG,
                    "etcd registry: revoking lease {0} at {1} failed: {2}",
                    Long.toHexString(id),
                    gateway.endpoint(),
                    e.toString());
        }
    }

    /** Stops renewing the lease without revoking it, as a node that dies would: for tests of expiry. */
    void abandon() {
        closed = true;
        lease = 0;
        close();
    }
}
