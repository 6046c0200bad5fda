package network.micro.itests;

import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import network.micro.api.NodeProperties;
import org.ops4j.pax.exam.CoreOptions;
import org.ops4j.pax.exam.Option;

/**
 * The Pax Exam options of a node in Felix with exactly the distribution's default bundles, on free loopback ports, in
 * a home folder of its own whose conf/services.json declares {@code greeter} and {@code echo}.
 */
public final class FelixNode {

    private FelixNode() {}

    /** The options of node {@code nodeId}, followed by {@code more}. */
    public static Option[] options(String nodeId, Option... more) throws IOException {
        Path home = Files.createTempDirectory("micro-it-");
        Files.createDirectories(home.resolve("conf"));
        Files.writeString(home.resolve("conf/services.json"), """
                {"services": [
                  {"name": "greeter", "version": "1.0.0",
                   "instances": [{"id": "greeter-1", "address": "127.0.0.1:9090"}]},
                  {"name": "echo", "instances": [{"id": "echo-1", "address": "127.0.0.1:7"}]}
                ]}
                """);
        List<Option> options = new ArrayList<>();
        options.add(frameworkProperty(NodeProperties.ID).value(nodeId));
        options.add(frameworkProperty(NodeProperties.HOME).value(home.toString()));
        options.add(frameworkProperty(NodeProperties.ADDRESS).value("127.0.0.1:" + Distribution.freePort()));
        options.add(frameworkProperty(NodeProperties.PROXY_ADDRESS).value("127.0.0.1:" + Distribution.freePort()));
        options.add(frameworkProperty("felix.fileinstall.dir")
                .value(home.resolve("conf").toString()));
        options.add(frameworkProperty("felix.fileinstall.filter").value(".*\\.cfg"));
        options.add(systemProperty("io.netty.leakDetection.level").value("paranoid"));
        options.addAll(List.of(more));
        for (Path jar : Distribution.bundles()) {
            options.add(bundle(jar.toUri().toString()));
        }
        options.add(junitBundles());
        return CoreOptions.options(options.toArray(Option[]::new));
    }
}
