package network.micro.network.internal;

import com.google.gson.Gson;
import java.util.List;
import network.micro.api.Peer;
import network.micro.api.Route;
import network.micro.api.RouteEvent;

/**
 * A control message between peers, one JSON object on the link's control stream.
 *
 * <ul>
 *   <li>{@code sync}: everything the sender offers, its routes and its peer graph; the receiver replaces what it had
 *       from the sender. Sent when a link comes up and periodically, to repair anything lost.
 *   <li>{@code advert}: changes of the sender's routes since its last message, sent as they happen.
 *   <li>{@code graph}: the sender's peer graph, sent when its links change.
 * </ul>
 *
 * @param type {@code sync}, {@code advert} or {@code graph}
 * @param routes the routes of a sync
 * @param events the changes of an advert
 * @param graph the sender's peer graph, rooted at the sender, in a sync or a graph message
 */
record ControlMessage(String type, List<Route> routes, List<RouteEvent> events, Peer graph) {

    static final String SYNC = "sync";
    static final String ADVERT = "advert";
    static final String GRAPH = "graph";

    private static final Gson GSON = new Gson();

    static ControlMessage sync(List<Route> routes, Peer graph) {
        return new ControlMessage(SYNC, routes, null, graph);
    }

    static ControlMessage advert(List<RouteEvent> events) {
        return new ControlMessage(ADVERT, null, events, null);
    }

    static ControlMessage graph(Peer graph) {
        return new ControlMessage(GRAPH, null, null, graph);
    }

    String toJson() {
        return GSON.toJson(this);
    }

    /**
     * Reads a message and checks it has what its type needs.
     *
     * @throws IllegalArgumentException saying what is wrong
     */
    static ControlMessage parse(String json) {
        ControlMessage message;
        try {
            message = GSON.fromJson(json, ControlMessage.class);
        } catch (RuntimeException e) {
            // Gson reports bad syntax as JsonParseException and a value a record refuses (a metric of 0, a missing
            // field) as whatever its constructor threw, wrapped: say what the deepest cause says.
            Throwable cause = e;
            while (cause.getCause() != null) {
                cause = cause.getCause();
            }
            throw new IllegalArgumentException("malformed: " + firstLine(cause.getMessage()), e);
        }
        if (message == null || message.type() == null) {
            throw new IllegalArgumentException("no message type");
        }
        boolean complete = switch (message.type()) {
            case SYNC -> message.routes() != null && message.graph() != null;
            case ADVERT -> message.events() != null;
            case GRAPH -> message.graph() != null;
            default -> throw new IllegalArgumentException("unknown message type " + message.type());
        };
        if (!complete) {
            throw new IllegalArgumentException(message.type() + " message misses its content");
        }
        return message;
    }

    private static String firstLine(String text) {
        if (text == null) {
            return "no detail";
        }
        int newline = text.indexOf('\n');
        return newline < 0 ? text : text.substring(0, newline);
    }
}
