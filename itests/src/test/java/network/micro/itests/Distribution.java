package network.micro.itests;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Where the built distribution is, and small helpers the tests share. */
final class Distribution {

    private Distribution() {}

    /** The unpacked distribution the build made. */
    static Path folder() {
        return Path.of(System.getProperty("micro.dist.dir", "../distribution/target/micro-network"))
                .toAbsolutePath()
                .normalize();
    }

    /** The zip users download. */
    static Path zip() {
        return Path.of(System.getProperty("micro.dist.zip")).toAbsolutePath().normalize();
    }

    /** Every bundle the distribution starts, that is every jar directly in {@code bundle/}. */
    static List<Path> bundles() throws IOException {
        try (Stream<Path> jars = Files.list(folder().resolve("bundle"))) {
            return jars.filter(p -> p.toString().endsWith(".jar")).sorted().toList();
        }
    }

    /** A port nothing listens on right now. */
    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
