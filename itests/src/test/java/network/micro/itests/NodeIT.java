package network.micro.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.bundle;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import javax.inject.Inject;
import network.micro.api.Network;
import network.micro.api.Route;
import network.micro.api.Router;
import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
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
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;

/** A node in Felix with exactly the distribution's bundles: its components, its commands, and a registry swap. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class NodeIT {

    private static final String NODE_ID = "node-it";

    @Inject
    private BundleContext context;

    @Inject
    private Network network;

    @Inject
    private Router router;

    @Inject
    private CommandProcessor commands;

    @Inject
    private ServiceComponentRuntime runtime;

    @Configuration
    public Option[] config() throws IOException {
        return FelixNode.options(NODE_ID);
    }

    @Test
    public void everyComponentOfTheNodeIsActive() {
        List<String> inactive = new ArrayList<>();
        List<ServiceReference<?>> used = new ArrayList<>();
        int count = 0;
        for (ComponentDescriptionDTO description : runtime.getComponentDescriptionDTOs()) {
            if (!description.bundle.symbolicName.startsWith("network.micro.")) {
                continue;
            }
            count++;
            used.addAll(useServices(description));
            for (ComponentConfigurationDTO configuration : runtime.getComponentConfigurationDTOs(description)) {
                if (configuration.state != ComponentConfigurationDTO.ACTIVE) {
                    inactive.add(description.name + " in state " + configuration.state);
                }
            }
            if (runtime.getComponentConfigurationDTOs(description).isEmpty()) {
                inactive.add(description.name + " has no configuration");
            }
        }
        used.forEach(context::ungetService);
        assertTrue("components found: " + count, count >= 6);
        assertEquals(List.of(), inactive);
    }

    /** A delayed component is only satisfied until someone uses its service: use it while checking. */
    private List<ServiceReference<?>> useServices(ComponentDescriptionDTO description) {
        List<ServiceReference<?>> used = new ArrayList<>();
        for (String service : description.serviceInterfaces) {
            ServiceReference<?> reference = context.getServiceReference(service);
            if (reference != null && context.getService(reference) != null) {
                used.add(reference);
            }
        }
        return used;
    }

    @Test
    public void theNodeKnowsItselfAndItsLocalServices() {
        assertEquals(NODE_ID, network.node().id());
        assertEquals(List.of("echo", Network.SERVICE_NAME, "greeter"), network.services());
        for (Route route : network.routes()) {
            assertEquals(NODE_ID, route.router());
            assertTrue(route.isLocal());
        }
    }

    @Test
    public void nodesCommand() throws Exception {
        String out = execute("network:nodes");

        assertTrue(out, out.startsWith("ID       ADDRESS\n" + NODE_ID + "  127.0.0.1:"));
    }

    @Test
    public void routesCommand() throws Exception {
        String out = execute("network:routes");

        List<List<String>> rows =
                out.lines().map(line -> List.of(line.split(" +"))).toList();
        assertEquals(out, 4, rows.size());
        assertEquals(List.of("SERVICE", "ADDRESS", "GATEWAY", "ROUTER", "NETWORK", "METRIC", "LINK"), rows.get(0));
        assertEquals(List.of("echo", "127.0.0.1:7", "-", NODE_ID, "go.micro", "1", "local"), rows.get(1));
        assertEquals(Network.SERVICE_NAME, rows.get(2).get(0));
        assertEquals(List.of("greeter", "127.0.0.1:9090", "-", NODE_ID, "go.micro", "1", "local"), rows.get(3));
    }

    @Test
    public void servicesCommand() throws Exception {
        assertEquals("echo\ngo.micro.network\ngreeter\n", execute("network:services"));
    }

    @Test
    public void graphCommand() throws Exception {
        assertTrue(execute("network:graph").startsWith(NODE_ID + " 127.0.0.1:"));
    }

    @Test
    public void jsonForms() throws Exception {
        assertTrue(execute("network:services --json").contains("\"greeter\""));
        assertTrue(execute("network:routes --json").contains("\"router\": \"node-it\""));
        assertTrue(execute("network:nodes --json").contains("\"id\": \"node-it\""));
        assertTrue(execute("network:graph --json").contains("\"peers\": []"));
    }

    @Test
    public void restartingTheRegistryEmptiesAndRefillsTheTableAndNothingElseRestarts() throws Exception {
        Bundle registry = installed("network.micro.registry.static");
        Map<String, Long> othersBefore = activeSince();
        othersBefore.remove(registry.getSymbolicName());
        Object routerBefore = router;

        registry.stop();
        await("routes emptied", () -> staticRoutes() == 0);
        registry.start();
        await("routes refilled", () -> staticRoutes() == 2);

        Map<String, Long> othersAfter = activeSince();
        othersAfter.remove(registry.getSymbolicName());
        assertEquals("no other bundle restarted", othersBefore, othersAfter);
        ServiceReference<Router> current = context.getServiceReference(Router.class);
        assertTrue("the router component is the same", context.getService(current) == routerBefore);
        context.ungetService(current);
    }

    private long staticRoutes() {
        return router.routes().stream()
                .filter(r -> r.registry().equals("static"))
                .count();
    }

    private Map<String, Long> activeSince() {
        Map<String, Long> states = new HashMap<>();
        for (Bundle bundle : context.getBundles()) {
            // Last-modified moves when a bundle is updated; state and id show a restart or reinstall.
            states.put(bundle.getSymbolicName(), bundle.getBundleId() * 100 + bundle.getState());
        }
        return states;
    }

    private Bundle installed(String symbolicName) {
        for (Bundle bundle : context.getBundles()) {
            if (symbolicName.equals(bundle.getSymbolicName())) {
                return bundle;
            }
        }
        throw new AssertionError("no bundle " + symbolicName);
    }

    private String execute(String command) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
        CommandSession session = commands.createSession(new ByteArrayInputStream(new byte[0]), print, print);
        try {
            session.execute(command);
        } finally {
            session.close();
        }
        print.flush();
        return out.toString(StandardCharsets.UTF_8);
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 5_000;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError(what + ": not within 5 s");
            }
            Thread.sleep(10);
        }
    }
}
