package network.micro.proxy.http1;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpServerCodec;
import java.nio.charset.StandardCharsets;
import network.micro.proxy.codec.IngressCodec;
import network.micro.proxy.codec.IngressContext;
import org.osgi.service.component.annotations.Component;

/**
 * HTTP/1.1: forward-proxy requests ({@code GET http://service/path}) and origin-form requests with a {@value
 * IngressContext#SERVICE_HEADER} header, keep-alive, streaming bodies both ways.
 */
@Component(service = IngressCodec.class)
public final class Http1Codec implements IngressCodec {

    /** Longer than any method a client sends; a longer first token is not HTTP/1.1. */
    private static final int MAX_METHOD_LENGTH = 20;

    @Override
    public String protocol() {
        return "http/1.1";
    }

    @Override
    public Detection detect(ByteBuf opening) {
        int known = Math.min(opening.readableBytes(), MAX_METHOD_LENGTH + 1);
        for (int i = 0; i < known; i++) {
            byte b = opening.getByte(opening.readerIndex() + i);
            if (b == ' ') {
                String method = opening.toString(opening.readerIndex(), i, StandardCharsets.US_ASCII);
                // The HTTP/2 preface and CONNECT belong to their own codecs.
                return i == 0 || method.equals("PRI") || method.equals("CONNECT") ? Detection.REJECT : Detection.ACCEPT;
            }
            if ((b < 'A' || b > 'Z') && b != '-' && b != '_') {
                return Detection.REJECT;
            }
        }
        return known <= MAX_METHOD_LENGTH ? Detection.NEED_MORE : Detection.REJECT;
    }

    @Override
    public void configure(Channel channel, IngressContext context) {
        channel.pipeline().addLast(new HttpServerCodec()).addLast(new Http1Ingress(context));
    }
}
