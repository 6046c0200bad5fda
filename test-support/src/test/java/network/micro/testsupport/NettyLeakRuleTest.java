package network.micro.testsupport;

import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import org.junit.Test;
import org.junit.runner.Description;
import org.junit.runners.model.Statement;

public class NettyLeakRuleTest {

    private final NettyLeakRule rule = new NettyLeakRule();

    @Test
    public void passesWhenEveryBufferIsReleased() throws Throwable {
        Statement releasing = new Statement() {
            @Override
            public void evaluate() {
                ByteBuf buf = ByteBufAllocator.DEFAULT.buffer(32);
                buf.writeInt(1);
                buf.release();
            }
        };

        rule.apply(releasing, Description.EMPTY).evaluate();
    }

    @Test
    public void failsWhenABufferLeaks() throws Throwable {
        Statement leaking = new Statement() {
            @Override
            public void evaluate() {
                ByteBuf buf = ByteBufAllocator.DEFAULT.directBuffer(32);
                buf.writeInt(1);
            }
        };

        try {
            rule.apply(leaking, Description.EMPTY).evaluate();
            fail("a leaked buffer went unnoticed");
        } catch (AssertionError expected) {
            assertTrue(expected.getMessage(), expected.getMessage().contains("LEAK"));
        }
    }
}
