package network.micro.itests.registry;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;

import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2StreamChannel;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import javax.inject.Inject;
import network.micro.api.LinkInfo;
import network.micro.api.Network;
import network.micro.api.NodeProperties;
import network.micro.api.Route;
import network.micro.api.Router;
import network.micro.itests.Distribution;
import network.micro.itests.FelixNode;
import network.micro.tunnel.Link;
import network.micro.tunnel.LinkListener;
import network.micro.tunnel.Tunnel;
import network.micro.tunnel.TunnelFactory;
import network.micro.tunnel.TunnelOptions;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.wiring.FrameworkWiring;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;

/**
 * Issue 5, acceptance 4: in a running node with the distribution's bundles, the static registry is uninstalled and
 * the mDNS one installed from the distribution's {@code bundle/registry/}, then back. The routes follow each
 * registry, a link to a second tunnel endpoint started by the test stays up across both swaps, and no other bundle,
 * component or service object of the node is restarted or replaced.
 *
 * <p>The mDNS registry is configured through Configuration Admin to announce one service on the first
 * multicast-capable interface of the host, and sees its own announcement come back: that is the route it
 * contributes. Where the host has no such interface, the mDNS route is not asserted and the test says so.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class RegistrySwapIT {

    private static final String NODE_ID = "swap-node";
    private static final String PEER_ID = "swap-peer";
    private static final String MDNS_BUNDLE = "micro.itest.registry.mdns";
    private static final String STATIC_BUNDLE = "micro.itest.registry.static";
    private static final String MDNS_PID = "network.micro.registry.mdns";
    private static final String ANNOUNCED = "swapped";
    private static final long TIMEOUT_MILLIS = 15_000;

    @Inject
    private BundleContext context;

    @Inject
    private Network network;

    @Inject
    private Router router;

    @Inject
    private TunnelFactory tunnels;

    @Inject
    private ConfigurationAdmin configurations;

    @Inject
    private ServiceComponentRuntime runtime;

    @Configuration
    public Option[] config() throws IOException {
        return FelixNode.options(
                NODE_ID,
                frameworkProperty(MDNS_BUNDLE)
                        .value(Distribution.registry("mdns").toUri().toString()),
                frameworkProperty(STATIC_BUNDLE)
                        .value(Distribution.registry("static").toUri().toString()));
    }

    @Test
    public void swappingStaticForMdnsAndBackFollowsTheRoutesKeepsTheLinkAndRestartsNothingElse() throws Exception {
        PeerListener peer = new PeerListener();
        Tunnel tunnel = tunnels.start(
                TunnelOptions.builder(PEER_ID, NodeProperties.DEFAULT_NETWORK, NodeProperties.DEFAULT_TOKEN)
                        .listenAddress("127.0.0.1:0")
                        .seeds(List.of(context.getProperty(NodeProperties.ADDRESS)))
                        .build(),
                peer);
        String multicast = multicastAddress();
        try {
            await("the link to " + PEER_ID + " is up", () -> link() != null && "up".equals(link().state()));
            LinkInfo linkBefore = link();
            await("static routes", () -> routes("static") == 2);
            Map<String, Long> bundlesBefore = otherBundles();
            Map<String, String> componentsBefore = otherComponents();
            Object[] servicesBefore = {service(Router.class), service(Network.class), service(TunnelFactory.class)};
            assertSame(router, servicesBefore[0]);
            assertSame(network, servicesBefore[1]);

            Hashtable<String, Object> mdns = new Hashtable<>();
            mdns.put("interfaceAddress", multicast == null ? "" : multicast);
            int port = Distribution.freePort();
            mdns.put("register", new String[] {ANNOUNCED + "=127.0.0.1:" + port});
            configurations.getConfiguration(MDNS_PID, "?").update(mdns);

            // static -> mdns
            long start = System.nanoTime();
            Bundle staticRegistry = installed("network.micro.registry.static");
            staticRegistry.uninstall();
            refresh(staticRegistry);
            await("static routes gone", () -> routes("static") == 0);
            report("static routes withdrawn after uninstall", start);
            assertEquals(List.of(Network.SERVICE_NAME), network.services());

            start = System.nanoTime();
            Bundle mdnsRegistry = context.installBundle(context.getProperty(MDNS_BUNDLE));
            mdnsRegistry.start();
            await("the mDNS registry is a service", () -> registryNamed("mdns"));
            report("mDNS registry service registered after install", start);
            if (multicast != null) {
                await("the mDNS registry's own announcement is a route", () -> mdnsRoute(port));
                report("mDNS route (own announcement on " + multicast + ") after install", start);
                assertEquals(List.of(Network.SERVICE_NAME, ANNOUNCED), network.services());
            } else {
                System.out.println("RegistrySwapIT: no multicast-capable interface; the mDNS route is not checked");
            }
            assertUnchanged(linkBefore, bundlesBefore, componentsBefore, servicesBefore);

            // mdns -> static
            start = System.nanoTime();
            mdnsRegistry.uninstall();
            refresh(mdnsRegistry);
            await("mDNS routes gone", () -> routes("mdns") == 0);
            report("mDNS routes withdrawn after uninstall", start);

            start = System.nanoTime();
            Bundle staticAgain = context.installBundle(context.getProperty(STATIC_BUNDLE));
            staticAgain.start();
            await("static routes back", () -> routes("static") == 2);
            report("static routes back after install", start);
            assertEquals(List.of("echo", Network.SERVICE_NAME, "greeter"), network.services());
            assertUnchanged(linkBefore, bundlesBefore, componentsBefore, servicesBefore);
            assertEquals("the peer's link never went down", 0, peer.downs.get());
            assertEquals("the peer's link came up once", 1, peer.ups.get());
        } finally {
            tunnel.close();
            org.osgi.service.cm.Configuration mdns = configurations.getConfiguration(MDNS_PID, "?");
            mdns.delete();
        }
    }

    private void assertUnchanged(
            LinkInfo linkBefore,
            Map<String, Long> bundlesBefore,
            Map<String, String> componentsBefore,
            Object[] servicesBefore) {
        LinkInfo now = link();
        assertNotNull("the link to " + PEER_ID + " is still there", now);
        assertEquals("up", now.state());
        assertEquals("the link was not replaced", linkBefore.upSince(), now.upSince());
        assertEquals(linkBefore.remote(), now.remote());
        assertEquals("no other bundle was restarted or reinstalled", bundlesBefore, otherBundles());
        assertEquals("no other component was reactivated", componentsBefore, otherComponents());
        assertSame("the same Router", servicesBefore[0], service(Router.class));
        assertSame("the same Network", servicesBefore[1], service(Network.class));
        assertSame("the same TunnelFactory", servicesBefore[2], service(TunnelFactory.class));
    }

    private LinkInfo link() {
        return network.links().stream()
                .filter(l -> l.peer().equals(PEER_ID))
                .findFirst()
                .orElse(null);
    }

    private long routes(String registry) {
        return router.routes().stream()
                .filter(r -> r.registry().equals(registry))
                .count();
    }

    private boolean mdnsRoute(int port) {
        for (Route route : router.routes()) {
            if (route.registry().equals("mdns")
                    && route.service().equals(ANNOUNCED)
                    && route.address().equals("127.0.0.1:" + port)
                    && route.isLocal()) {
                return true;
            }
        }
        return false;
    }

    private boolean registryNamed(String name) throws Exception {
        for (ServiceReference<network.micro.api.Registry> reference :
                context.getServiceReferences(network.micro.api.Registry.class, null)) {
            network.micro.api.Registry registry = context.getService(reference);
            try {
                if (registry != null && registry.name().equals(name)) {
                    return true;
                }
            } finally {
                context.ungetService(reference);
            }
        }
        return false;
    }

    /** Every bundle but the two registries, by symbolic name: its id and state, which a restart would change. */
    private Map<String, Long> otherBundles() {
        Map<String, Long> states = new TreeMap<>();
        for (Bundle bundle : context.getBundles()) {
            String name = bundle.getSymbolicName();
            if (!name.startsWith("network.micro.registry.")) {
                states.put(name, bundle.getBundleId() * 100 + bundle.getState());
            }
        }
        return states;
    }

    /** The active component configurations of the node's other bundles, by name: their ids change on reactivation. */
    private Map<String, String> otherComponents() {
        Map<String, String> components = new TreeMap<>();
        for (ComponentDescriptionDTO description : runtime.getComponentDescriptionDTOs()) {
            String bundle = description.bundle.symbolicName;
            if (!bundle.startsWith("network.micro.") || bundle.startsWith("network.micro.registry.")) {
                continue;
            }
            List<String> active = new ArrayList<>();
            for (ComponentConfigurationDTO configuration : runtime.getComponentConfigurationDTOs(description)) {
                if (configuration.state == ComponentConfigurationDTO.ACTIVE) {
                    active.add(String.valueOf(configuration.id));
                }
            }
            Collections.sort(active);
            components.put(description.name, String.join(",", active));
        }
        return components;
    }

    private <T> T service(Class<T> type) {
        ServiceReference<T> reference = context.getServiceReference(type);
        assertNotNull("a " + type.getSimpleName() + " service", reference);
        T service = context.getService(reference);
        context.ungetService(reference);
        return service;
    }

    private Bundle installed(String symbolicName) {
        for (Bundle bundle : context.getBundles()) {
            if (symbolicName.equals(bundle.getSymbolicName())) {
                return bundle;
            }
        }
        throw new AssertionError("no bundle " + symbolicName);
    }

    /** Refreshes the uninstalled bundle only, as an operator's {@code refresh} after {@code uninstall} would. */
    private void refresh(Bundle uninstalled) throws InterruptedException {
        FrameworkWiring wiring = context.getBundle(0).adapt(FrameworkWiring.class);
        Object done = new Object();
        boolean[] finished = {false};
        wiring.refreshBundles(List.of(uninstalled), event -> {
            synchronized (done) {
                finished[0] = true;
                done.notifyAll();
            }
        });
        synchronized (done) {
            long deadline = System.currentTimeMillis() + TIMEOUT_MILLIS;
            while (!finished[0] && System.currentTimeMillis() < deadline) {
                done.wait(100);
            }
        }
        assertTrue("the refresh finished", finished[0]);
    }

    /** The IPv4 address of the first interface that is up, not loopback and supports multicast; null when none. */
    private static String multicastAddress() throws SocketException {
        List<NetworkInterface> candidates = new ArrayList<>(Collections.list(NetworkInterface.getNetworkInterfaces()));
        candidates.sort(Comparator.comparingInt(NetworkInterface::getIndex));
        for (NetworkInterface candidate : candidates) {
            if (!candidate.isUp() || candidate.isLoopback() || !candidate.supportsMulticast()) {
                continue;
            }
            for (InetAddress address : Collections.list(candidate.getInetAddresses())) {
                if (address instanceof Inet4Address) {
                    return address.getHostAddress();
                }
            }
        }
        return null;
    }

    private static void report(String what, long startNanos) {
        System.out.println("RegistrySwapIT: " + what + ": " + (System.nanoTime() - startNanos) / 1_000_000 + " ms");
    }

    private static void await(String what, Check condition) throws Exception {
        long deadline = System.currentTimeMillis() + TIMEOUT_MILLIS;
        while (!condition.holds()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError(what + ": not within " + TIMEOUT_MILLIS + " ms");
            }
            Thread.sleep(10);
        }
    }

    private interface Check {
        boolean holds() throws Exception;
    }

    /** The second endpoint's view of its links: counts ups and downs, accepts no streams, ignores control messages. */
    private static final class PeerListener implements LinkListener {

        final AtomicInteger ups = new AtomicInteger();
        final AtomicInteger downs = new AtomicInteger();

        @Override
        public void linkUp(Link link) {
            ups.incrementAndGet();
        }

        @Override
        public void linkDown(Link link, String reason) {
            downs.incrementAndGet();
        }

        @Override
        public void control(Link link, String json) {
            // The node's route adverts and peer messages: not needed here.
        }

        @Override
        public void stream(Link link, Http2StreamChannel stream, Http2Headers headers) {
            stream.close();
        }
    }
}
