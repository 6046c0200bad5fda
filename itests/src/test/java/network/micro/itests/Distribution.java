package network.micro.itests;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Where the built distribution is, and small helpers the tests share. */
public final class Distribution {

    private Distribution() {}

    /** The unpacked distribution the build made. */
    public static Path folder() {
        return Path.of(System.getProperty("micro.dist.dir", "../distribution/target/micro-network"))
                .toAbsolutePath()
                .normalize();
    }

    /** The zip users download. */
    public static Path zip() {
        return Path.of(System.getProperty("micro.dist.zip")).toAbsolutePath().normalize();
    }

    /**
     * Every bundle a node of the distribution starts by default: every jar directly in {@code bundle/}, and the
     * default registry adapter from {@code bundle/registry/}.
     */
    public static List<Path> bundles() throws IOException {
        try (Stream<Path> jars = Files.list(folder().resolve("bundle"))) {
            List<Path> bundles = new java.util.ArrayList<>(
                    jars.filter(p -> p.toString().endsWith(".jar")).sorted().toList());
            bundles.add(registry("static"));
            return bundles;
        }
    }

    /** The bundle of the registry adapter {@code name}, such as {@code mdns}. */
    public static Path registry(String name) {
        return folder().resolve("bundle/registry/network.micro.registry." + name + ".jar");
    }

    /** A port nothing listens on right now. */
    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
