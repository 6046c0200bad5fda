package network.micro.registry.etcd.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import network.micro.api.Service;
import network.micro.api.ServiceInstance;

/**
 * The registry's keys as services. Keys are kept as they come, so that a change to one key is applied alone; the
 * services are built from all of them on demand, one per name, with the instances of every key of that name.
 */
final class ServiceTable {

    private final Map<String, MicroServiceJson.Entry> byKey = new TreeMap<>();

    void put(String key, MicroServiceJson.Entry entry) {
        if (entry == null) {
            byKey.remove(key);
        } else {
            byKey.put(key, entry);
        }
    }

    void remove(String key) {
        byKey.remove(key);
    }

    void clear() {
        byKey.clear();
    }

    /**
     * The services, sorted by name, their instances by id. Keys of one name that give different versions yield one
     * service whose version lists them, sorted and comma separated; an instance id seen twice keeps its first key.
     * A name none of whose keys holds a usable node is left out: there is nothing to route to.
     */
    List<Service> services() {
        Map<String, List<MicroServiceJson.Entry>> byName = new TreeMap<>();
        for (MicroServiceJson.Entry entry : byKey.values()) {
            byName.computeIfAbsent(entry.name(), name -> new ArrayList<>()).add(entry);
        }
        List<Service> services = new ArrayList<>();
        for (Map.Entry<String, List<MicroServiceJson.Entry>> named : byName.entrySet()) {
            TreeSet<String> versions = new TreeSet<>();
            Map<String, String> metadata = new LinkedHashMap<>();
            Map<String, ServiceInstance> instances = new TreeMap<>();
            for (MicroServiceJson.Entry entry : named.getValue()) {
                if (!entry.version().isEmpty()) {
                    versions.add(entry.version());
                }
                entry.metadata().forEach(metadata::putIfAbsent);
                entry.instances().forEach(instance -> instances.putIfAbsent(instance.id(), instance));
            }
            if (instances.isEmpty()) {
                continue;
            }
            List<ServiceInstance> sorted = new ArrayList<>(instances.values());
            sorted.sort(Comparator.comparing(ServiceInstance::id));
            services.add(new Service(named.getKey(), String.join(",", versions), metadata, sorted));
        }
        return services;
    }
}
