package network.micro.api;

import java.util.Objects;

/**
 * One direct link of a node, as operators inspect it.
 *
 * @param peer the id of the node at the other end
 * @param address the address the peer advertises, empty when it does not listen
 * @param remote the socket address of the other end of the connection
 * @param direction {@code in} when the peer dialled, {@code out} when this node did
 * @param state {@code up}, or where the link is in its life
 * @param rttMicros the smoothed round-trip time in microseconds
 * @param bytesIn bytes received on the link
 * @param bytesOut bytes sent on the link
 * @param upSince when the link came up, ISO-8601
 */
public record LinkInfo(
        String peer,
        String address,
        String remote,
        String direction,
        String state,
        long rttMicros,
        long bytesIn,
        long bytesOut,
        String upSince) {

    public LinkInfo {
        Objects.requireNonNull(peer, "peer");
        address = address == null ? "" : address;
        remote = remote == null ? "" : remote;
        direction = direction == null ? "" : direction;
        state = state == null ? "" : state;
        upSince = upSince == null ? "" : upSince;
    }
}
