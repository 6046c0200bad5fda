package network.micro.proxy.connect;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpResponseEncoder;
import java.nio.charset.StandardCharsets;
import network.micro.proxy.codec.IngressCodec;
import network.micro.proxy.codec.IngressContext;
import org.osgi.service.component.annotations.Component;

/** Raw TCP: {@code CONNECT service:port HTTP/1.1} opens a byte stream to the service, in both directions. */
@Component(service = IngressCodec.class)
public final class ConnectCodec implements IngressCodec {

    private static final byte[] OPENING = "CONNECT ".getBytes(StandardCharsets.US_ASCII);

    @Override
    public String protocol() {
        return "CONNECT";
    }

    @Override
    public Detection detect(ByteBuf opening) {
        int known = Math.min(opening.readableBytes(), OPENING.length);
        for (int i = 0; i < known; i++) {
            if (opening.getByte(opening.readerIndex() + i) != OPENING[i]) {
                return Detection.REJECT;
            }
        }
        return known == OPENING.length ? Detection.ACCEPT : Detection.NEED_MORE;
    }

    @Override
    public void configure(Channel channel, IngressContext context) {
        channel.pipeline()
                .addLast(new HttpRequestDecoder())
                .addLast(new HttpResponseEncoder())
                .addLast(new ConnectIngress(context));
    }
}
