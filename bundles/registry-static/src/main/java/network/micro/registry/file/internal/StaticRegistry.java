package network.micro.registry.file.internal;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import network.micro.api.NodeProperties;
import network.micro.api.Registration;
import network.micro.api.Registry;
import network.micro.api.Service;
import network.micro.support.PublishedServices;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Local services declared in a JSON file. The file is read at start and again whenever it changes; a file that
 * cannot be used is reported, and the services last read stay in force until it is fixed.
 */
@Component(service = Registry.class, configurationPid = StaticRegistry.PID)
@Designate(ocd = StaticRegistry.Config.class)
public final class StaticRegistry implements Registry {

    static final String PID = "network.micro.registry.static";

    @ObjectClassDefinition(
            name = "micro network static registry",
            description = "Declares the node's local services in a JSON file that is watched for changes.")
    public @interface Config {

        @AttributeDefinition(
                description = "Path of the services file. A relative path resolves against the node's home folder.")
        String file() default "conf/services.json";
    }

    private static final Logger LOG = System.getLogger(StaticRegistry.class.getName());

    private final PublishedServices published = new PublishedServices("static");
    private Path home = Path.of("");
    private Path file;
    private FileWatcher watcher;

    private String fileFlag = "";

    @Activate
    void activate(BundleContext context, Config config) throws IOException {
        String folder = context.getProperty(NodeProperties.HOME);
        fileFlag = NodeProperties.get(context::getProperty, NodeProperties.REGISTRY_ADDRESS, "");
        open(folder == null ? home : Path.of(folder), config);
    }

    @Modified
    void modified(Config config) throws IOException {
        close();
        open(home, config);
    }

    @Deactivate
    synchronized void close() {
        if (watcher != null) {
            watcher.close();
            watcher = null;
        }
    }

    synchronized void open(Path home, Config config) throws IOException {
        this.home = home;
        // --registry-address names the file for a node started with the static registry; it wins over conf/.
        file = home.resolve(fileFlag.isEmpty() ? config.file() : fileFlag)
                .toAbsolutePath()
                .normalize();
        watcher = new FileWatcher(file, this::reload);
        LOG.log(Level.INFO, "static registry: watching {0}", file);
        reload();
    }

    /** Reads the file again; keeps the services in force when it cannot be used. */
    synchronized void reload() {
        List<Service> next;
        try {
            next = ServicesFile.parse(file.toString(), Files.readString(file, StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            LOG.log(Level.INFO, "static registry: {0} does not exist; no services declared", file);
            next = List.of();
        } catch (IOException e) {
            LOG.log(
                    Level.WARNING,
                    "static registry: cannot read {0} ({1}); keeping the {2} services in force",
                    file,
                    e.getMessage(),
                    published.services().size());
            return;
        } catch (ServicesFileException e) {
            LOG.log(
                    Level.WARNING,
                    "static registry: {0}; keeping the {1} services in force",
                    e.getMessage(),
                    published.services().size());
            return;
        }
        published.publish(next);
    }

    @Override
    public String name() {
        return "static";
    }

    @Override
    public List<Service> services() {
        return published.services();
    }

    @Override
    public Registration watch(Consumer<List<Service>> listener) {
        return published.watch(listener);
    }
}
