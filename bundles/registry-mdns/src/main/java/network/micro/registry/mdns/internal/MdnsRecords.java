package network.micro.registry.mdns.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import network.micro.api.HostPort;
import network.micro.api.Service;
import network.micro.api.ServiceInstance;
import network.micro.support.ServiceToRegister;

/**
 * How a service instance is written in DNS-SD: one instance name per instance under the service type, its port in
 * the SRV record, and in the TXT record {@code name} (the service), {@code version}, {@code id}, optionally
 * {@code address} (the {@code host:port} to dial when it is not the announcing host) and {@code meta.KEY} for each
 * metadata label. An announcement without {@code name} names its service by its instance name, so that a plain
 * {@code avahi-publish -s greeter _micro._tcp 9090} is understood.
 */
final class MdnsRecords {

    /** The DNS-SD service type micro network uses unless configured otherwise. */
    static final String DEFAULT_TYPE = "_micro._tcp.local.";

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,252}");
    private static final String META = "meta.";
    private static final int MAX_LABEL_BYTES = 63;

    /**
     * One announced instance, read.
     *
     * @param service the service name
     * @param version the service version, empty when none
     * @param instance the instance
     */
    record Entry(String service, String version, ServiceInstance instance) {}

    private MdnsRecords() {}

    /**
     * Reads a resolved announcement. Whatever makes it unusable is reported to {@code problems}, naming the
     * instance.
     *
     * @param instanceName the DNS-SD instance name
     * @param hosts the announcing host's addresses, as text, IPv4 first
     * @param port the SRV port
     * @param txt the TXT record's keys and values
     * @return the entry, or null when it cannot be used
     */
    static Entry read(
            String instanceName, List<String> hosts, int port, Map<String, String> txt, Consumer<String> problems) {
        String where = "mDNS instance \"" + instanceName + "\"";
        String name = txt.getOrDefault("name", "").isBlank()
                ? instanceName
                : txt.get("name").trim();
        if (!NAME.matcher(name).matches()) {
            problems.accept(where + ": \"" + name + "\" is not a service name; skipped");
            return null;
        }
        String address = txt.get("address");
        if (address == null || address.isBlank()) {
            if (hosts.isEmpty()) {
                problems.accept(where + " (service " + name + "): no address was announced; skipped");
                return null;
            }
            address = new HostPort(hosts.get(0), port).toString();
        }
        try {
            HostPort.parseDialable(address);
        } catch (IllegalArgumentException e) {
            problems.accept(where + " (service " + name + "): " + e.getMessage() + "; skipped");
            return null;
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        txt.forEach((key, value) -> {
            if (key.startsWith(META) && key.length() > META.length()) {
                metadata.put(key.substring(META.length()), value);
            }
        });
        String id = txt.getOrDefault("id", "").isBlank() ? instanceName : txt.get("id");
        return new Entry(name, txt.getOrDefault("version", ""), new ServiceInstance(id, address, metadata));
    }

    /** The TXT record announcing {@code service} as instance {@code id}. */
    static Map<String, String> txt(ServiceToRegister service, String id) {
        Map<String, String> txt = new LinkedHashMap<>();
        txt.put("name", service.name());
        txt.put("version", "");
        txt.put("id", id);
        txt.put("address", service.address());
        return txt;
    }

    /** {@code id} cut to the 63 bytes a DNS label may hold. */
    static String instanceName(String id) {
        byte[] bytes = id.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= MAX_LABEL_BYTES) {
            return id;
        }
        String cut = id;
        while (cut.getBytes(StandardCharsets.UTF_8).length > MAX_LABEL_BYTES) {
            cut = cut.substring(0, cut.length() - 1);
        }
        return cut;
    }

    /** The entries as services, one per name, sorted by name; their instances by id. */
    static List<Service> services(Iterable<Entry> entries) {
        Map<String, List<Entry>> byName = new TreeMap<>();
        for (Entry entry : entries) {
            byName.computeIfAbsent(entry.service(), name -> new ArrayList<>()).add(entry);
        }
        List<Service> services = new ArrayList<>();
        byName.forEach((name, named) -> {
            TreeSet<String> versions = new TreeSet<>();
            Map<String, ServiceInstance> instances = new TreeMap<>();
            for (Entry entry : named) {
                if (!entry.version().isEmpty()) {
                    versions.add(entry.version());
                }
                instances.putIfAbsent(entry.instance().id(), entry.instance());
            }
            List<ServiceInstance> sorted = new ArrayList<>(instances.values());
            sorted.sort(Comparator.comparing(ServiceInstance::id));
            services.add(new Service(name, String.join(",", versions), Map.of(), sorted));
        });
        return services;
    }
}
