package network.micro.registry.mdns.internal;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import javax.jmdns.JmDNS;
import javax.jmdns.ServiceEvent;
import javax.jmdns.ServiceInfo;
import javax.jmdns.ServiceListener;
import network.micro.api.Service;

/**
 * Browses one DNS-SD service type with JmDNS, resolves every instance announced, and announces this node's own.
 * An instance that says goodbye, or whose records expire unrefreshed, is removed: JmDNS reports both as removal.
 *
 * <p>JmDNS calls back on its own threads; the instances are kept under this object's lock and {@code publish}
 * receives whole lists. Opening JmDNS happens on a thread of its own, retried with a capped backoff when the
 * interface cannot be used.
 */
final class MdnsBrowser implements ServiceListener, AutoCloseable {

    private static final Logger LOG = System.getLogger(MdnsBrowser.class.getName());
    private static final long RETRY_FIRST_MILLIS = 500;
    private static final long RETRY_CAP_MILLIS = 30_000;

    private final MdnsSettings settings;
    private final Consumer<List<Service>> publish;
    private final Map<String, MdnsRecords.Entry> instances = new HashMap<>();
    private final Thread opener;
    private volatile boolean closed;
    private JmDNS jmdns;

    MdnsBrowser(MdnsSettings settings, Consumer<List<Service>> publish) {
        this.settings = settings;
        this.publish = publish;
        this.opener = new Thread(this::open, "micro-mdns-open");
        opener.setDaemon(true);
    }

    void start() {
        opener.start();
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
        for (LocalService service : settings.register()) {
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
        ServiceInfo info = event.getInfo();
        List<String> hosts = new ArrayList<>();
        for (InetAddress address : info.getInet4Addresses()) {
            hosts.add(address.getHostAddress());
        }
        for (InetAddress address : info.getInet6Addresses()) {
            hosts.add(address.getHostAddress());
        }
        Map<String, String> txt = new HashMap<>();
        for (String key : Collections.list(info.getPropertyNames())) {
            String value = info.getPropertyString(key);
            txt.put(key, value == null ? "" : value);
        }
        MdnsRecords.Entry entry = MdnsRecords.read(
                event.getName(),
                hosts,
                info.getPort(),
                txt,
                problem -> LOG.log(Level.WARNING, "mdns registry: {0}", problem));
        change(key(event), entry);
    }

    @Override
    public void serviceRemoved(ServiceEvent event) {
        change(key(event), null);
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
