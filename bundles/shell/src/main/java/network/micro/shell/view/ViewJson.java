package network.micro.shell.view;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
import com.google.gson.reflect.TypeToken;
import java.lang.reflect.Type;
import java.util.List;
import network.micro.api.LinkInfo;
import network.micro.api.Node;
import network.micro.api.Peer;
import network.micro.api.Route;

/** The JSON form of the views: what {@code --json} prints, and what the node's endpoint answers. */
public final class ViewJson {

    /** The views a node serves, with the type each one holds. */
    public enum View {
        NODES(new TypeToken<List<Node>>() {}.getType()),
        ROUTES(new TypeToken<List<Route>>() {}.getType()),
        SERVICES(new TypeToken<List<String>>() {}.getType()),
        GRAPH(Peer.class),
        LINKS(new TypeToken<List<LinkInfo>>() {}.getType());

        private final Type type;

        View(Type type) {
            this.type = type;
        }

        /** The path of the view at the node's endpoint, such as {@code /routes}. */
        public String path() {
            return "/" + name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private static final Gson PRETTY = new GsonBuilder().setPrettyPrinting().create();

    private ViewJson() {}

    /** Indented JSON of a view's value. */
    public static String pretty(Object value) {
        return PRETTY.toJson(value) + "\n";
    }

    /**
     * Reads a view from JSON.
     *
     * @throws IllegalArgumentException naming the view when the JSON does not hold one
     */
    public static Object read(View view, String json) {
        try {
            Object value = PRETTY.fromJson(json, view.type);
            if (value == null) {
                throw new IllegalArgumentException("empty answer for " + view.path());
            }
            return value;
        } catch (JsonParseException e) {
            throw new IllegalArgumentException("malformed answer for " + view.path() + ": " + e.getMessage(), e);
        }
    }

    /** The text table of a view's value. */
    @SuppressWarnings("unchecked")
    public static String table(View view, Object value) {
        return switch (view) {
            case NODES -> Views.nodes((List<Node>) value);
            case ROUTES -> Views.routes((List<Route>) value);
            case SERVICES -> Views.services((List<String>) value);
            case GRAPH -> Views.graph((Peer) value);
            case LINKS -> Views.links((List<LinkInfo>) value);
        };
    }
}
