package network.micro.support;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import network.micro.api.Registration;
import network.micro.api.Service;
import org.junit.Test;

public class PublishedServicesTest {

    private final PublishedServices published = new PublishedServices("test");

    @Test
    public void aWatcherHearsTheServicesAtOnceThenEveryChange() {
        published.publish(List.of(service("a")));
        List<List<Service>> heard = new ArrayList<>();

        published.watch(heard::add);
        published.publish(List.of(service("a"), service("b")));

        assertEquals(List.of(List.of(service("a")), List.of(service("a"), service("b"))), heard);
        assertEquals(List.of(service("a"), service("b")), published.services());
    }

    @Test
    public void anUnchangedListIsNotRepeated() {
        List<List<Service>> heard = new ArrayList<>();
        published.watch(heard::add);

        assertTrue(published.publish(List.of(service("a"))));
        assertFalse(published.publish(List.of(service("a"))));

        assertEquals(2, heard.size());
    }

    @Test
    public void aClosedWatchHearsNoMore() {
        List<List<Service>> heard = new ArrayList<>();
        Registration watch = published.watch(heard::add);
        watch.close();

        published.publish(List.of(service("a")));

        assertEquals(List.of(List.of()), heard);
    }

    private static Service service(String name) {
        return new Service(name, "1", Map.of(), List.of());
    }
}
