package network.micro.tunnel.internal;

import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2StreamChannel;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import network.micro.tunnel.Link;
import network.micro.tunnel.LinkListener;

/** Records what a tunnel tells its listener, for tests to poll. */
final class RecordingListener implements LinkListener {

    final List<Link> ups = new CopyOnWriteArrayList<>();
    final List<String> downs = new CopyOnWriteArrayList<>();
    final List<String> messages = new CopyOnWriteArrayList<>();
    volatile BiConsumer<Http2StreamChannel, Http2Headers> streams = (stream, headers) -> stream.close();

    @Override
    public void linkUp(Link link) {
        ups.add(link);
    }

    @Override
    public void linkDown(Link link, String reason) {
        downs.add(link.peerId() + ": " + reason);
    }

    @Override
    public void control(Link link, String json) {
        messages.add(link.peerId() + " " + json);
    }

    @Override
    public void stream(Link link, Http2StreamChannel stream, Http2Headers headers) {
        streams.accept(stream, headers);
    }
}
