package network.micro.registry.file.internal;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.concurrent.TimeUnit;

/**
 * Calls back when one file is created, changed, replaced or deleted. The folder is watched rather than the file, so
 * editors that save by renaming a new file over the old one are seen too. Bursts of events are coalesced.
 */
final class FileWatcher implements AutoCloseable {

    private static final Logger LOG = System.getLogger(FileWatcher.class.getName());
    private static final long QUIET_MILLIS = 50;

    private final Path file;
    private final Runnable onChange;
    private final WatchService service;
    private final Thread thread;

    FileWatcher(Path file, Runnable onChange) throws IOException {
        this.file = file.toAbsolutePath().normalize();
        this.onChange = onChange;
        this.service = FileSystems.getDefault().newWatchService();
        this.file
                .getParent()
                .register(
                        service,
                        StandardWatchEventKinds.ENTRY_CREATE,
                        StandardWatchEventKinds.ENTRY_MODIFY,
                        StandardWatchEventKinds.ENTRY_DELETE);
        this.thread = new Thread(this::run, "micro-watch-" + this.file.getFileName());
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        try {
            while (true) {
                WatchKey key = service.take();
                boolean changed = concernsFile(key);
                // Coalesce a burst (truncate, write, close) into one reload.
                for (WatchKey more = service.poll(QUIET_MILLIS, TimeUnit.MILLISECONDS);
                        more != null;
                        more = service.poll(QUIET_MILLIS, TimeUnit.MILLISECONDS)) {
                    changed |= concernsFile(more);
                }
                if (changed) {
                    onChange.run();
                }
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            LOG.log(Level.DEBUG, "stopped watching {0}", file);
        }
    }

    private boolean concernsFile(WatchKey key) {
        boolean concerns = false;
        for (WatchEvent<?> event : key.pollEvents()) {
            if (event.kind() == StandardWatchEventKinds.OVERFLOW
                    || file.getFileName().equals(event.context())) {
                concerns = true;
            }
        }
        key.reset();
        return concerns;
    }

    @Override
    public void close() {
        try {
            service.close();
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "closing the watch of " + file, e);
        }
        thread.interrupt();
    }
}
