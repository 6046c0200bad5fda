package network.micro.itests;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/** The distribution unzipped into a folder of its own, and {@code bin/micro} run as a user would. */
public final class Micro {

    /** What one run of {@code bin/micro} did. */
    public record Run(int exit, String out, String err, long millis) {}

    private final Path home;

    private Micro(Path home) {
        this.home = home;
    }

    /** Unzips the distribution into a fresh temporary folder. */
    public static Micro unzip() throws IOException {
        Path target = Files.createTempDirectory("micro-dist-");
        try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(Distribution.zip()))) {
            for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
                Path file = target.resolve(entry.getName()).normalize();
                if (!file.startsWith(target)) {
                    throw new IOException("zip entry outside the folder: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(file);
                } else {
                    Files.createDirectories(file.getParent());
                    Files.copy(zip, file);
                }
            }
        }
        Path home = target.resolve("micro-network");
        Files.setPosixFilePermissions(home.resolve("bin/micro"), PosixFilePermissions.fromString("rwxr-xr-x"));
        return new Micro(home);
    }

    public Path home() {
        return home;
    }

    /** Runs {@code bin/micro args} to its end, at most 30 s. */
    public Run run(String... args) throws IOException, InterruptedException {
        long start = System.nanoTime();
        Process process = start(args);
        process.getOutputStream().close();
        StreamCollector out = new StreamCollector(process.getInputStream());
        StreamCollector err = new StreamCollector(process.getErrorStream());
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("bin/micro " + String.join(" ", args) + " did not end within 30 s");
        }
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        return new Run(process.exitValue(), out.text(), err.text(), millis);
    }

    /** Starts {@code bin/micro args} and returns at once. */
    public Process start(String... args) throws IOException {
        return start(java.util.Map.of(), args);
    }

    /** Starts {@code bin/micro args} with more environment variables, such as {@code MICRO_JAVA_OPTS}. */
    public Process start(java.util.Map<String, String> environment, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(home.resolve("bin/micro").toString());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(home.toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("MICRO_"));
        builder.environment().putAll(environment);
        return builder.start();
    }

    /** Reads a process stream on a thread of its own so that the process never blocks on a full pipe. */
    static final class StreamCollector {

        private final StringBuffer text = new StringBuffer();
        private final Thread thread;

        StreamCollector(InputStream in) {
            thread = new Thread(() -> {
                byte[] buffer = new byte[4096];
                try (in) {
                    for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
                        text.append(new String(buffer, 0, read, StandardCharsets.UTF_8));
                    }
                } catch (IOException e) {
                    text.append("[stream closed: ").append(e.getMessage()).append(']');
                }
            });
            thread.setDaemon(true);
            thread.start();
        }

        /** Everything read so far. */
        String text() throws InterruptedException {
            thread.join(2000);
            return text.toString();
        }

        String soFar() {
            return text.toString();
        }
    }
}
