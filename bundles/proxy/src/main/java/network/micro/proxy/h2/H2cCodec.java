package network.micro.proxy.h2;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2StreamChannel;
import network.micro.proxy.codec.IngressCodec;
import network.micro.proxy.codec.IngressContext;
import org.osgi.service.component.annotations.Component;

/**
 * HTTP/2 without TLS, by prior knowledge, and so gRPC: every stream names its service in {@code :authority} and is
 * relayed on a stream of its own, frame by frame, trailers included.
 */
@Component(service = IngressCodec.class)
public final class H2cCodec implements IngressCodec {

    @Override
    public String protocol() {
        return "h2c";
    }

    @Override
    public Detection detect(ByteBuf opening) {
        ByteBuf preface = Http2CodecUtil.connectionPrefaceBuf();
        try {
            int known = Math.min(opening.readableBytes(), preface.readableBytes());
            for (int i = 0; i < known; i++) {
                if (opening.getByte(opening.readerIndex() + i) != preface.getByte(i)) {
                    return Detection.REJECT;
                }
            }
            return known == preface.readableBytes() ? Detection.ACCEPT : Detection.NEED_MORE;
        } finally {
            preface.release();
        }
    }

    @Override
    public void configure(Channel channel, IngressContext context) {
        channel.pipeline()
                .addLast(Http2FrameCodecBuilder.forServer().build())
                .addLast(new Http2MultiplexHandler(new ChannelInitializer<Http2StreamChannel>() {
                    @Override
                    protected void initChannel(Http2StreamChannel stream) {
                        stream.pipeline().addLast(new H2StreamIngress(context));
                    }
                }));
    }
}
