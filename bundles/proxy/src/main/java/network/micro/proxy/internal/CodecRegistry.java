package network.micro.proxy.internal;

import io.netty.channel.Channel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import network.micro.proxy.codec.IngressCodec;
import network.micro.proxy.codec.IngressContext;

/**
 * The codecs the listener offers new connections, and the connections each one serves. When a codec goes away its
 * connections are closed: its classes may be going with its bundle. Connections of other codecs go on.
 */
final class CodecRegistry {

    private final Map<IngressCodec, ChannelGroup> served = new ConcurrentHashMap<>();
    private final IngressContext context;

    CodecRegistry(IngressContext context) {
        this.context = context;
    }

    IngressContext context() {
        return context;
    }

    void add(IngressCodec codec) {
        served.putIfAbsent(codec, new DefaultChannelGroup(codec.protocol(), GlobalEventExecutor.INSTANCE));
    }

    /** Forgets {@code codec} and closes the connections it serves. */
    void remove(IngressCodec codec) {
        ChannelGroup channels = served.remove(codec);
        if (channels != null) {
            channels.close();
        }
    }

    List<IngressCodec> codecs() {
        return new ArrayList<>(served.keySet());
    }

    /** Hands {@code channel} to {@code codec}; closes it at once if the codec left meanwhile. */
    void adopt(Channel channel, IngressCodec codec) {
        ChannelGroup channels = served.get(codec);
        if (channels == null) {
            channel.close();
            return;
        }
        channels.add(channel);
        codec.configure(channel, context);
        if (!served.containsKey(codec)) {
            channel.close();
        }
    }
}
