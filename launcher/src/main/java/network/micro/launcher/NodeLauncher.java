package network.micro.launcher;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.logging.FileHandler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import java.util.stream.Stream;
import network.micro.api.HostPort;
import network.micro.api.NodeProperties;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;

/**
 * Runs a node in the foreground: Felix with every bundle of {@code bundle/}, {@code conf/} watched into
 * Configuration Admin, {@code deploy/} watched for bundles, and logs in {@code log/}.
 */
final class NodeLauncher {

    /** The component that binds the proxy address; its service tells that the node serves its views. */
    private static final String READY_SERVICE = "network.micro.proxy.internal.ProxyListener";

    private static final long START_TIMEOUT_MILLIS = 10_000;

    private final Path home;
    private final NodeSettings settings;

    NodeLauncher(Path home, NodeSettings settings) {
        this.home = home;
        this.settings = settings;
    }

    /** Starts the node and blocks until it stops; returns the exit code. */
    int run() throws Exception {
        String busy = busyPort();
        if (busy != null) {
            System.err.println("micro: " + busy);
            return 1;
        }
        configureLogging();
        Framework framework = newFramework();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(framework), "micro-shutdown"));
        framework.start();
        installBundles(framework.getBundleContext(), home.resolve("bundle"));
        installBundles(
                framework.getBundleContext(),
                settings.registries().stream()
                        .map(name -> home.resolve("bundle/registry/network.micro.registry." + name + ".jar"))
                        .toList());
        if (settings.console()) {
            installBundles(framework.getBundleContext(), home.resolve("bundle/console"));
        }
        if (!awaitReady(framework.getBundleContext())) {
            System.err.println("micro: the node did not start within " + START_TIMEOUT_MILLIS / 1000 + " s; see "
                    + home.resolve("log/micro.log"));
            stop(framework);
            return 1;
        }
        Logger.getLogger("network.micro")
                .info(() -> "node " + settings.properties().get(NodeProperties.ID) + " is up; proxy at "
                        + settings.proxyAddress());
        framework.waitForStop(0);
        return 0;
    }

    /** Says which port cannot be bound, or null when every one can. */
    private String busyPort() {
        for (HostPort address : List.of(settings.address(), settings.proxyAddress())) {
            if (address.port() == 0) {
                continue;
            }
            try (ServerSocket socket = new ServerSocket()) {
                socket.setReuseAddress(true);
                socket.bind(
                        address.host().isEmpty()
                                ? new InetSocketAddress(address.port())
                                : new InetSocketAddress(address.host(), address.port()));
            } catch (IOException e) {
                return "port " + address.port() + " is already in use (" + address + ": " + e.getMessage() + ")";
            }
        }
        return null;
    }

    private Framework newFramework() throws IOException {
        Path storage = Files.createTempDirectory("micro-felix-");
        storage.toFile().deleteOnExit();
        Map<String, String> properties = new HashMap<>(settings.properties());
        properties.put(NodeProperties.HOME, home.toString());
        properties.put(Constants.FRAMEWORK_STORAGE, storage.toString());
        properties.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        // conf/ feeds Configuration Admin, deploy/ installs bundles: one watcher each. Operators' files are theirs:
        // File Install must not write configurations back into them.
        properties.put("felix.fileinstall.dir", home.resolve("conf") + "," + home.resolve("deploy"));
        properties.put("felix.fileinstall.filter", ".*\\.(cfg|jar)");
        properties.put("felix.fileinstall.enableConfigSave", "false");
        properties.put("felix.fileinstall.poll", "1000");
        properties.put("felix.fileinstall.noInitialDelay", "true");
        properties.put("felix.fileinstall.log.level", "2");
        properties.put("gosh.home", home.toString());
        if (!settings.console()) {
            properties.put("gosh.args", "--nointeractive");
        }
        FrameworkFactory factory =
                ServiceLoader.load(FrameworkFactory.class).iterator().next();
        return factory.newFramework(properties);
    }

    private static void installBundles(BundleContext context, Path folder) throws IOException, BundleException {
        try (Stream<Path> jars = Files.list(folder)) {
            installBundles(
                    context,
                    jars.filter(p -> p.toString().endsWith(".jar"))
                            .sorted(Comparator.naturalOrder())
                            .toList());
        }
    }

    private static void installBundles(BundleContext context, List<Path> jars) throws BundleException {
        List<Bundle> installed = new ArrayList<>();
        for (Path jar : jars) {
            installed.add(context.installBundle(jar.toUri().toString()));
        }
        for (Bundle bundle : installed) {
            if (bundle.getHeaders().get(Constants.FRAGMENT_HOST) == null) {
                bundle.start();
            }
        }
    }

    private static boolean awaitReady(BundleContext context) throws InterruptedException {
        long deadline = System.currentTimeMillis() + START_TIMEOUT_MILLIS;
        while (System.currentTimeMillis() < deadline) {
            if (context.getServiceReference(READY_SERVICE) != null) {
                return true;
            }
            Thread.sleep(20);
        }
        return false;
    }

    private void configureLogging() throws IOException {
        Path config = home.resolve("conf/logging.properties");
        if (Files.exists(config)) {
            try (InputStream in = Files.newInputStream(config)) {
                LogManager.getLogManager().readConfiguration(in);
            }
        }
        Path logs = home.resolve("log");
        Files.createDirectories(logs);
        FileHandler file = new FileHandler(logs.resolve("micro.log").toString().replace(File.separator, "/"), true);
        file.setFormatter(new SimpleFormatter());
        file.setLevel(Level.ALL);
        Logger.getLogger("").addHandler(file);
    }

    private static void stop(Framework framework) {
        try {
            if ((framework.getState() & (Bundle.STARTING | Bundle.ACTIVE)) != 0) {
                framework.stop();
                framework.waitForStop(10_000);
            }
        } catch (BundleException | InterruptedException e) {
            Logger.getLogger("network.micro").log(Level.WARNING, "stopping the framework", e);
        } finally {
            NodeLogManager.closeHandlers();
        }
    }
}
