package network.micro.tunnel.internal;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateEncodingException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The token proofs of the link handshake. A proof is an HMAC-SHA256, keyed by the token, over everything that makes one
 * link unique: both nonces, the role of the prover, both node ids, the network name, and the SHA-256 fingerprints of
 * both TLS certificates as seen on the connection. A proof is therefore useless on another connection, for the other
 * role, or behind a TLS interceptor presenting its own certificates.
 */
final class LinkProofs {

    static final String DIALER = "dialer";
    static final String LISTENER = "listener";

    private static final int NONCE_BYTES = 32;
    private static final String DOMAIN = "micro-tunnel-proof-v1";
    private static final SecureRandom RANDOM = new SecureRandom();

    private LinkProofs() {}

    /**
     * What a proof is bound to; the same on both ends of an honest link.
     *
     * @param dialerFingerprint SHA-256 of the dialer's certificate
     * @param listenerFingerprint SHA-256 of the listener's certificate
     */
    record Binding(
            String network,
            String dialerId,
            String listenerId,
            String dialerNonce,
            String listenerNonce,
            byte[] dialerFingerprint,
            byte[] listenerFingerprint) {}

    /** A fresh random nonce, base64url without padding. */
    static String newNonce() {
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(nonce);
    }

    /** Whether {@code nonce} has the shape {@link #newNonce()} gives. */
    static boolean isNonce(String nonce) {
        try {
            return nonce != null && Base64.getUrlDecoder().decode(nonce).length == NONCE_BYTES;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    static byte[] fingerprint(Certificate certificate) {
        try {
            return sha256().digest(certificate.getEncoded());
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException("cannot encode a TLS certificate", e);
        }
    }

    /** The proof that the holder of {@code token} plays {@code role} on the link described by {@code binding}. */
    static String proof(String token, String role, Binding binding) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(token.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal(input(role, binding)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    /** Compares a presented proof with the expected one in constant time; false for anything malformed. */
    static boolean matches(String expected, String presented) {
        if (presented == null) {
            return false;
        }
        return MessageDigest.isEqual(
                expected.getBytes(StandardCharsets.US_ASCII), presented.getBytes(StandardCharsets.US_ASCII));
    }

    /** Every field length-prefixed, so that no two different bindings give the same input. */
    private static byte[] input(String role, Binding binding) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            for (String text : new String[] {
                DOMAIN,
                role,
                binding.network(),
                binding.dialerId(),
                binding.listenerId(),
                binding.dialerNonce(),
                binding.listenerNonce()
            }) {
                writeField(out, text.getBytes(StandardCharsets.UTF_8));
            }
            writeField(out, binding.dialerFingerprint());
            writeField(out, binding.listenerFingerprint());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static void writeField(DataOutputStream out, byte[] field) throws IOException {
        out.writeInt(field.length);
        out.write(field);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
