package network.micro.itests.proxy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.CRC32;

/**
 * Test data made on the fly, never held whole: the byte at offset {@code o} is {@code BLOCK[o % BLOCK.length]}, a
 * block of seeded random bytes whose length is prime, so that a piece of the stream lost, repeated or moved never
 * lines up with the expected bytes again. Both ends of a transfer make the same bytes and compare as they go.
 */
final class Pattern {

    /** A prime just over 1 MB: chunk boundaries of any power-of-two size never align with it. */
    private static final byte[] BLOCK = new byte[1_000_003];

    static {
        new Random(20240519L).nextBytes(BLOCK);
    }

    private Pattern() {}

    /** Fills {@code buffer[0..length)} with the bytes of the stream at {@code offset}. */
    static void fill(long offset, byte[] buffer, int length) {
        int done = 0;
        int at = (int) (offset % BLOCK.length);
        while (done < length) {
            int n = Math.min(length - done, BLOCK.length - at);
            System.arraycopy(BLOCK, at, buffer, done, n);
            done += n;
            at = 0;
        }
    }

    /** Writes the first {@code total} bytes of the stream to {@code out}; returns their CRC32. */
    static long write(OutputStream out, long total) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        CRC32 crc = new CRC32();
        for (long sent = 0; sent < total; ) {
            int n = (int) Math.min(buffer.length, total - sent);
            fill(sent, buffer, n);
            out.write(buffer, 0, n);
            crc.update(buffer, 0, n);
            sent += n;
        }
        out.flush();
        return crc.getValue();
    }

    /** What a reader of the stream found: how many bytes, their CRC32, and the offset of the first wrong byte. */
    record Check(long bytes, long crc, long firstMismatch) {

        boolean matches(long expectedBytes) {
            return bytes == expectedBytes && firstMismatch < 0;
        }

        @Override
        public String toString() {
            return bytes + " bytes, crc32 " + Long.toHexString(crc)
                    + (firstMismatch < 0 ? ", all as expected" : ", first wrong byte at offset " + firstMismatch);
        }
    }

    /** Reads {@code in} to its end (at most {@code limit} bytes), comparing every byte with the stream's. */
    static Check read(InputStream in, long limit) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        byte[] expected = new byte[buffer.length];
        CRC32 crc = new CRC32();
        long received = 0;
        long mismatch = -1;
        for (int n = in.read(buffer); n >= 0 && received < limit; n = in.read(buffer)) {
            if (mismatch < 0) {
                fill(received, expected, n);
                int at = Arrays.mismatch(buffer, 0, n, expected, 0, n);
                if (at >= 0) {
                    mismatch = received + at;
                }
            }
            crc.update(buffer, 0, n);
            received += n;
        }
        return new Check(received, crc.getValue(), mismatch);
    }

    /** The CRC32 of the first {@code total} bytes of the stream. */
    static long crc(long total) {
        try {
            return write(OutputStream.nullOutputStream(), total);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
