package network.micro.tunnel;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Everything a tunnel needs to know. Checked when built: a bad value fails here with a message naming it, never later
 * on an event loop.
 *
 * @param nodeId this node's id, unique in the network
 * @param network the network name; peers of another network are refused
 * @param token the shared secret both ends prove they hold
 * @param listenAddress {@code host:port} to listen on (port 0 picks a free one, an empty host means every interface);
 *     null for a node that only dials
 * @param advertiseAddress {@code host:port} peers should dial to reach this node; null means the listen address
 * @param seeds {@code host:port} of the nodes to dial and keep dialling
 * @param certificateFile PEM certificate chain of this node; null makes a self-signed one at start
 * @param keyFile PEM PKCS#8 private key matching {@code certificateFile}; set both or neither
 * @param caFile PEM certificates peers must chain to; null accepts any peer certificate (the token is the trust)
 * @param keepaliveInterval how often to PING each peer
 * @param deadAfter how long without a PING answer before a link is declared dead
 * @param handshakeTimeout how long a new connection may take for TLS and authentication together
 * @param maxControlMessageBytes the largest control message accepted, newline excluded
 * @param maxPendingConnections how many connections may be unauthenticated at once; more are refused
 * @param reconnectBackoffMin the first delay before redialling a seed
 * @param reconnectBackoffMax the longest delay before redialling a seed
 */
public record TunnelOptions(
        String nodeId,
        String network,
        String token,
        String listenAddress,
        String advertiseAddress,
        List<String> seeds,
        Path certificateFile,
        Path keyFile,
        Path caFile,
        Duration keepaliveInterval,
        Duration deadAfter,
        Duration handshakeTimeout,
        int maxControlMessageBytes,
        int maxPendingConnections,
        Duration reconnectBackoffMin,
        Duration reconnectBackoffMax) {

    public static final Duration DEFAULT_KEEPALIVE_INTERVAL = Duration.ofSeconds(1);
    public static final Duration DEFAULT_DEAD_AFTER = Duration.ofSeconds(3);
    public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(5);
    public static final int DEFAULT_MAX_CONTROL_MESSAGE_BYTES = 1024 * 1024;
    public static final int DEFAULT_MAX_PENDING_CONNECTIONS = 64;
    public static final Duration DEFAULT_RECONNECT_BACKOFF_MIN = Duration.ofMillis(100);
    public static final Duration DEFAULT_RECONNECT_BACKOFF_MAX = Duration.ofSeconds(5);

    /** The smallest control message limit accepted: room for the link's own messages. */
    public static final int MIN_CONTROL_MESSAGE_BYTES = 1024;

    public TunnelOptions {
        requireText(nodeId, "nodeId");
        requireText(network, "network");
        if (token == null || token.isEmpty()) {
            throw new IllegalArgumentException("token must not be empty");
        }
        if (listenAddress != null) {
            requireHostPort(listenAddress, "listenAddress", true);
        }
        if (advertiseAddress != null && !advertiseAddress.isEmpty()) {
            requireHostPort(advertiseAddress, "advertiseAddress", false);
        }
        seeds = seeds == null ? List.of() : List.copyOf(seeds);
        for (String seed : seeds) {
            requireHostPort(seed, "seed", false);
        }
        if ((certificateFile == null) != (keyFile == null)) {
            throw new IllegalArgumentException("certificateFile and keyFile must be set together");
        }
        requirePositive(keepaliveInterval, "keepaliveInterval");
        requirePositive(deadAfter, "deadAfter");
        requirePositive(handshakeTimeout, "handshakeTimeout");
        if (deadAfter.compareTo(keepaliveInterval) <= 0) {
            throw new IllegalArgumentException(
                    "deadAfter (" + deadAfter + ") must be longer than keepaliveInterval (" + keepaliveInterval + ")");
        }
        if (maxControlMessageBytes < MIN_CONTROL_MESSAGE_BYTES) {
            throw new IllegalArgumentException("maxControlMessageBytes must be at least " + MIN_CONTROL_MESSAGE_BYTES
                    + ": " + maxControlMessageBytes);
        }
        if (maxPendingConnections < 1) {
            throw new IllegalArgumentException("maxPendingConnections must be at least 1: " + maxPendingConnections);
        }
        requirePositive(reconnectBackoffMin, "reconnectBackoffMin");
        requirePositive(reconnectBackoffMax, "reconnectBackoffMax");
        if (reconnectBackoffMax.compareTo(reconnectBackoffMin) < 0) {
            throw new IllegalArgumentException("reconnectBackoffMax (" + reconnectBackoffMax
                    + ") must not be shorter than reconnectBackoffMin (" + reconnectBackoffMin + ")");
        }
    }

    /** Starts options with every optional value at its default, and no listen address, advertise address or seed. */
    public static Builder builder(String nodeId, String network, String token) {
        return new Builder(nodeId, network, token);
    }

    /** The address to advertise: the advertise address if set, else the listen address, else empty. */
    public String effectiveAdvertiseAddress() {
        if (advertiseAddress != null && !advertiseAddress.isEmpty()) {
            return advertiseAddress;
        }
        return listenAddress == null ? "" : listenAddress;
    }

    private static void requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
    }

    private static void requirePositive(Duration value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + value);
        }
    }

    private static void requireHostPort(String value, String name, boolean emptyHostAllowed) {
        int colon = value.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException(name + " must be host:port: " + value);
        }
        String host = value.substring(0, colon);
        if (host.isEmpty() && !emptyHostAllowed) {
            throw new IllegalArgumentException(name + " has no host: " + value);
        }
        int port;
        try {
            port = Integer.parseInt(value.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " has no valid port: " + value);
        }
        if (port < 0 || port > 65535 || (port == 0 && !emptyHostAllowed)) {
            throw new IllegalArgumentException(name + " has a port out of range: " + value);
        }
    }

    /** Builds {@link TunnelOptions}; every setter takes the same value as the record component of its name. */
    public static final class Builder {

        private final String nodeId;
        private final String network;
        private final String token;
        private String listenAddress;
        private String advertiseAddress;
        private List<String> seeds = List.of();
        private Path certificateFile;
        private Path keyFile;
        private Path caFile;
        private Duration keepaliveInterval = DEFAULT_KEEPALIVE_INTERVAL;
        private Duration deadAfter = DEFAULT_DEAD_AFTER;
        private Duration handshakeTimeout = DEFAULT_HANDSHAKE_TIMEOUT;
        private int maxControlMessageBytes = DEFAULT_MAX_CONTROL_MESSAGE_BYTES;
        private int maxPendingConnections = DEFAULT_MAX_PENDING_CONNECTIONS;
        private Duration reconnectBackoffMin = DEFAULT_RECONNECT_BACKOFF_MIN;
        private Duration reconnectBackoffMax = DEFAULT_RECONNECT_BACKOFF_MAX;

        private Builder(String nodeId, String network, String token) {
            this.nodeId = nodeId;
            this.network = network;
            this.token = token;
        }

        public Builder listenAddress(String listenAddress) {
            this.listenAddress = listenAddress;
            return this;
        }

        public Builder advertiseAddress(String advertiseAddress) {
            this.advertiseAddress = advertiseAddress;
            return this;
        }

        public Builder seeds(List<String> seeds) {
            this.seeds = seeds;
            return this;
        }

        public Builder certificate(Path certificateFile, Path keyFile) {
            this.certificateFile = certificateFile;
            this.keyFile = keyFile;
            return this;
        }

        public Builder caFile(Path caFile) {
            this.caFile = caFile;
            return this;
        }

        public Builder keepaliveInterval(Duration keepaliveInterval) {
            this.keepaliveInterval = keepaliveInterval;
            return this;
        }

        public Builder deadAfter(Duration deadAfter) {
            this.deadAfter = deadAfter;
            return this;
        }

        public Builder handshakeTimeout(Duration handshakeTimeout) {
            this.handshakeTimeout = handshakeTimeout;
            return this;
        }

        public Builder maxControlMessageBytes(int maxControlMessageBytes) {
            this.maxControlMessageBytes = maxControlMessageBytes;
            return this;
        }

        public Builder maxPendingConnections(int maxPendingConnections) {
            this.maxPendingConnections = maxPendingConnections;
            return this;
        }

        public Builder reconnectBackoff(Duration min, Duration max) {
            this.reconnectBackoffMin = min;
            this.reconnectBackoffMax = max;
            return this;
        }

        public TunnelOptions build() {
            return new TunnelOptions(
                    nodeId,
                    network,
                    token,
                    listenAddress,
                    advertiseAddress,
                    seeds,
                    certificateFile,
                    keyFile,
                    caFile,
                    keepaliveInterval,
                    deadAfter,
                    handshakeTimeout,
                    maxControlMessageBytes,
                    maxPendingConnections,
                    reconnectBackoffMin,
                    reconnectBackoffMax);
        }
    }
}
