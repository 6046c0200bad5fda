package network.micro.registry.mdns.internal;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import javax.jmdns.JmDNS;
import javax.jmdns.ServiceEvent;
import javax.jmdns.ServiceInfo;
import javax.jmdns.ServiceListener;
import javax.jmdns.impl.DNSEntry;
import javax.jmdns.impl.DNSRecord;
import javax.jmdns.impl.JmDNSImpl;
import javax.jmdns.impl.constants.DNSConstants;
import javax.jmdns.impl.constants.DNSRecordClass;
import javax.jmdns.impl.constants.DNSRecordType;
import network.micro.api.Service;
import network.micro.support.ServiceToRegister;

/**
 * Browses one DNS-SD service type with JmDNS, resolves every instance announced, and announces this node's own.
 * An instance that says goodbye, or whose records expire unrefreshed, is removed.
 *
 * <p>JmDNS alone reports neither reliably: it reaps its cache only every 10 s, and a record that said goodbye comes
 * back to life when any answer for it arrives before that reap. Peers send such answers: python-zeroconf defers
 * answers for a record multicast less than a second before (RFC 6762, section 6) and still sends them after its
 * goodbye, with full TTLs; it then keeps the record in its own cache and lists it as a known answer in its queries,
 * which JmDNS caches too. So this browser reads JmDNS's cache itself every {@value #SWEEP_MILLIS} ms: an instance
 * whose SRV record it has seen and which now has no SRV record alive (TTL cut to 1 s by a goodbye, or expired) is
 * removed at once, and an answer for it within {@value #GOODBYE_HOLD_MILLIS} ms of the goodbye is taken for a stale
 * one. Only an SRV record received after that hold, or a fresh resolution by JmDNS, brings it back.
 *
 * <p>JmDNS calls back on its own threads; the instances are kept under this object's lock and {@code publish}
 * receives whole lists. Opening JmDNS happens on a thread of its own, retried with a capped backoff when the
 * interface cannot be used.
 */
final class MdnsBrowser implements ServiceListener, AutoCloseable {

    private static final Logger LOG = System.getLogger(MdnsBrowser.class.getName());
    private static final long RETRY_FIRST_MILLIS = 500;
    private static final long RETRY_CAP_MILLIS = 30_000;
    private static final long SWEEP_MILLIS = 250;
    private static final long GOODBYE_HOLD_MILLIS = 2_000;
    private static final long RESOLVE_MILLIS = 1_000;

    private final MdnsSettings settings;
    private final Consumer<List<Service>> publish;
    private final Map<String, MdnsRecords.Entry> instances = new HashMap<>();
    /** The instance name as announced, by key, of every instance held or departed. */
    private final Map<String, String> names = new HashMap<>();
    /** The keys of the instances whose SRV record was seen alive in JmDNS's cache. */
    private final Set<String> cached = new HashSet<>();
    /** When the goodbye or the expiry of an instance was seen, by key, until its hold is over. */
    private final Map<String, Long> departed = new HashMap<>();

    private final Thread opener;
    private final ScheduledExecutorService sweeper;
    private volatile boolean closed;
    private JmDNS jmdns;

    MdnsBrowser(MdnsSettings settings, Consumer<List<Service>> publish) {
        this.settings = settings;
        this.publish = publish;
        this.opener = new Thread(this::open, "micro-mdns-open");
        opener.setDaemon(true);
        this.sweeper = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "micro-mdns-expiry");
            thread.setDaemon(true);
            return thread;
        });
    }

    void start() {
        opener.start();
        sweeper.scheduleWithFixedDelay(this::sweep, SWEEP_MILLIS, SWEEP_MILLIS, TimeUnit.MILLISECONDS);
    }

    private void open() {
        long wait = RETRY_FIRST_MILLIS;
        boolean reported = false;
        while (!closed) {
            try {
                JmDNS opened = create();
                synchronized (this) {
                    if (closed) {
                        opened.close();
                        return;
                    }
                    jmdns = opened;
                }
                opened.addServiceListener(settings.type(), this);
                announce(opened);
                LOG.log(
                        Level.INFO,
                        "mdns registry: browsing {0} on {1}; announcing {2} services",
                        settings.type(),
                        opened.getInetAddress(),
                        settings.register().size());
                return;
            } catch (IOException e) {
                if (!reported) {
                    LOG.log(
                            Level.WARNING,
                            "mdns registry: cannot use multicast DNS on {0} ({1}); trying again",
                            settings.interfaceAddress().isEmpty() ? "the host's address" : settings.interfaceAddress(),
                            e.toString());
                    reported = true;
                }
            }
            try {
                Thread.sleep(wait / 2 + (long) (Math.random() * wait / 2));
            } catch (InterruptedException e) {
                return;
            }
            wait = Math.min(RETRY_CAP_MILLIS, wait * 2);
        }
    }

    private JmDNS create() throws IOException {
        String name = "micro-" + settings.nodeId();
        if (settings.interfaceAddress().isEmpty()) {
            return JmDNS.create(null, name);
        }
        return JmDNS.create(InetAddress.getByName(settings.interfaceAddress()), name);
    }

    private void announce(JmDNS opened) throws IOException {
        for (ServiceToRegister service : settings.register()) {
            String id = settings.instanceId(service);
            ServiceInfo info = ServiceInfo.create(
                    settings.type(), MdnsRecords.instanceName(id), service.port(), 0, 0, MdnsRecords.txt(service, id));
            opened.registerService(info);
            LOG.log(Level.INFO, "mdns registry: announced {0} ({1}) as {2}", service.name(), service.address(), id);
        }
    }

    @Override
    public void serviceAdded(ServiceEvent event) {
        JmDNS current = event.getDNS();
        if (current != null && !closed) {
            // Resolution completes in serviceResolved.
            current.requestServiceInfo(event.getType(), event.getName());
        }
    }

    @Override
    public void serviceResolved(ServiceEvent event) {
        resolved(event.getName(), event.getInfo());
    }

    private void resolved(String name, ServiceInfo info) {
        String key = name.toLowerCase(Locale.ROOT);
        synchronized (this) {
            Long gone = departed.get(key);
            if (gone != null && System.currentTimeMillis() < gone + GOODBYE_HOLD_MILLIS) {
                LOG.log(Level.DEBUG, "mdns registry: instance {0} answered right after its goodbye; ignored", key);
                return;
            }
            departed.remove(key);
            names.put(key, name);
        }
        List<String> hosts = new ArrayList<>();
        for (InetAddress address : info.getInet4Addresses()) {
            hosts.add(address.getHostAddress());
        }
        for (InetAddress address : info.getInet6Addresses()) {
            hosts.add(address.getHostAddress());
        }
        Map<String, String> txt = new HashMap<>();
        for (String property : Collections.list(info.getPropertyNames())) {
            String value = info.getPropertyString(property);
            txt.put(property, value == null ? "" : value);
        }
        MdnsRecords.Entry entry = MdnsRecords.read(
                name, hosts, info.getPort(), txt, problem -> LOG.log(Level.WARNING, "mdns registry: {0}", problem));
        change(key, entry);
    }

    @Override
    public synchronized void serviceRemoved(ServiceEvent event) {
        String key = key(event);
        change(key, null);
        cached.remove(key);
        if (!departed.containsKey(key)) {
            names.remove(key);
        }
    }

    /** Checks JmDNS's cache for instances that said goodbye or expired, and for departed ones announced again. */
    private void sweep() {
        try {
            JmDNS open;
            synchronized (this) {
                open = jmdns;
            }
            if (!(open instanceof JmDNSImpl impl)) {
                return;
            }
            List<String> back = new ArrayList<>();
            synchronized (this) {
                long now = System.currentTimeMillis();
                for (String key : new ArrayList<>(names.keySet())) {
                    long live = liveSince(impl, names.get(key) + "." + settings.type(), now);
                    Long gone = departed.get(key);
                    if (instances.containsKey(key)) {
                        if (live >= 0) {
                            cached.add(key);
                        } else if (cached.remove(key)) {
                            departed.put(key, now);
                            LOG.log(Level.DEBUG, "mdns registry: instance {0} said goodbye or expired", key);
                            change(key, null);
                        }
                    } else if (gone != null && live > gone + GOODBYE_HOLD_MILLIS) {
                        departed.remove(key);
                        back.add(names.get(key));
                    } else if (gone != null && live < 0 && now > gone + GOODBYE_HOLD_MILLIS) {
                        departed.remove(key);
                        names.remove(key);
                    }
                }
            }
            for (String name : back) {
                ServiceInfo info = open.getServiceInfo(settings.type(), name, RESOLVE_MILLIS);
                if (info != null && info.hasData() && !closed) {
                    resolved(name, info);
                }
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "mdns registry: checking the cache for expired instances failed", e);
        }
    }

    /**
     * When the newest SRV record of {@code qualifiedName} alive in the cache was received, or -1 when none is: a
     * record cut to the 1 s a goodbye leaves it is not alive.
     */
    private static long liveSince(JmDNSImpl impl, String qualifiedName, long now) {
        long since = -1;
        for (DNSEntry entry :
                impl.getCache().getDNSEntryList(qualifiedName, DNSRecordType.TYPE_SRV, DNSRecordClass.CLASS_ANY)) {
            if (entry instanceof DNSRecord record
                    && !record.isExpired(now)
                    && record.getTTL() > DNSConstants.RECORD_EXPIRY_DELAY) {
                since = Math.max(since, record.getCreated());
            }
        }
        return since;
    }

    private synchronized void change(String key, MdnsRecords.Entry entry) {
        if (closed) {
            return;
        }
        MdnsRecords.Entry before = entry == null ? instances.remove(key) : instances.put(key, entry);
        if (entry == null ? before != null : !entry.equals(before)) {
            LOG.log(
                    Level.DEBUG,
                    "mdns registry: instance {0} {1}",
                    key,
                    entry == null ? "gone" : "at " + entry.instance().address());
            publish.accept(MdnsRecords.services(instances.values()));
        }
    }

    private static String key(ServiceEvent event) {
        return event.getName().toLowerCase(Locale.ROOT);
    }

    /** Says goodbye for this node's announcements and stops browsing. */
    @Override
    public void close() {
        JmDNS open;
        synchronized (this) {
            closed = true;
            open = jmdns;
            jmdns = null;
        }
        opener.interrupt();
        sweeper.shutdownNow();
        if (open != null) {
            open.removeServiceListener(settings.type(), this);
            open.unregisterAllServices();
            try {
                open.close();
            } catch (IOException e) {
                LOG.log(Level.DEBUG, "mdns registry: closing JmDNS failed: {0}", e.toString());
            }
        }
    }
}
