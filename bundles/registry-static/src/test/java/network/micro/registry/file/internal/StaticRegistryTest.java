package network.micro.registry.file.internal;

import static org.junit.Assert.assertEquals;

import java.lang.annotation.Annotation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import network.micro.api.Registration;
import network.micro.api.Service;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class StaticRegistryTest {

    @Rule
    public final TemporaryFolder folder = new TemporaryFolder();

    private final StaticRegistry registry = new StaticRegistry();
    private final BlockingQueue<List<Service>> updates = new LinkedBlockingQueue<>();
    private Path file;
    private Registration watch;

    @Before
    public void start() throws Exception {
        file = folder.getRoot().toPath().resolve("conf/services.json");
        Files.createDirectories(file.getParent());
        Files.writeString(file, services("greeter"));
        registry.open(folder.getRoot().toPath(), config("conf/services.json"));
        watch = registry.watch(updates::add);
    }

    @After
    public void stop() {
        watch.close();
        registry.close();
    }

    @Test
    public void watchersHearTheServicesAtOnce() throws Exception {
        assertEquals(List.of("greeter"), names(next()));
    }

    @Test
    public void anEditIsSeenWithinASecond() throws Exception {
        next();

        Files.writeString(file, services("greeter", "echo"));

        assertEquals(List.of("greeter", "echo"), names(next()));
    }

    @Test
    public void aFileReplacedByRenameIsSeen() throws Exception {
        next();

        Path fresh = file.resolveSibling("services.json.tmp");
        Files.writeString(fresh, services("echo"));
        Files.move(fresh, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);

        assertEquals(List.of("echo"), names(next()));
    }

    @Test
    public void aBrokenFileKeepsTheLastGoodServicesUntilFixed() throws Exception {
        next();

        Files.writeString(file, "{\"services\": [");
        assertEquals(null, updates.poll(500, TimeUnit.MILLISECONDS));
        assertEquals(List.of("greeter"), names(registry.services()));

        Files.writeString(file, services("echo"));
        assertEquals(List.of("echo"), names(next()));
    }

    @Test
    public void aDeletedFileRemovesEveryService() throws Exception {
        next();

        Files.delete(file);

        assertEquals(List.of(), next());
    }

    private List<Service> next() throws InterruptedException {
        List<Service> services = updates.poll(1, TimeUnit.SECONDS);
        if (services == null) {
            throw new AssertionError("no update within a second");
        }
        return services;
    }

    private static List<String> names(List<Service> services) {
        return services.stream().map(Service::name).toList();
    }

    private static String services(String... names) {
        StringBuilder json = new StringBuilder("{\"services\": [");
        for (int i = 0; i < names.length; i++) {
            json.append(i == 0 ? "" : ",")
                    .append("{\"name\": \"")
                    .append(names[i])
                    .append("\", \"instances\": [{\"id\": \"1\", \"address\": \"127.0.0.1:1")
                    .append(i)
                    .append("\"}]}");
        }
        return json.append("]}").toString();
    }

    private static StaticRegistry.Config config(String file) {
        return new StaticRegistry.Config() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return StaticRegistry.Config.class;
            }

            @Override
            public String file() {
                return file;
            }
        };
    }
}
