package network.micro.tunnel.internal;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.Strictness;
import com.google.gson.TypeAdapter;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import java.io.IOException;
import java.io.StringReader;

/** Parses control messages strictly, and builds the messages the link itself sends. */
final class ControlMessages {

    /** The top-level key that marks a message of the link itself; never delivered to the listener. */
    static final String LINK_KEY = "micro.link";

    static final String AUTH = "auth";
    static final String WELCOME = "welcome";
    static final String BYE = "bye";

    private static final TypeAdapter<JsonElement> ELEMENTS = new Gson().getAdapter(JsonElement.class);

    private ControlMessages() {}

    /**
     * Parses one JSON object, strictly: no comments, no unquoted names, nothing after the object.
     *
     * @throws ControlMessageException naming what is wrong
     */
    static ControlMessage parse(String json) throws ControlMessageException {
        JsonElement element;
        try {
            JsonReader reader = new JsonReader(new StringReader(json));
            reader.setStrictness(Strictness.STRICT);
            element = ELEMENTS.read(reader);
            if (reader.peek() != JsonToken.END_DOCUMENT) {
                throw new ControlMessageException("malformed JSON: data after the object");
            }
        } catch (IOException | RuntimeException e) {
            throw new ControlMessageException("malformed JSON" + where(e.getMessage()));
        }
        if (element == null || !element.isJsonObject()) {
            throw new ControlMessageException("not a JSON object");
        }
        return new ControlMessage(json, element.getAsJsonObject());
    }

    /** Keeps the position from Gson's message and drops its advice and link. */
    private static String where(String message) {
        if (message == null) {
            return "";
        }
        int newline = message.indexOf('\n');
        String first = newline >= 0 ? message.substring(0, newline) : message;
        int at = first.indexOf(" at line ");
        return at >= 0 ? first.substring(at) : ": " + first;
    }

    static String auth(String proof) {
        JsonObject message = link(AUTH);
        message.addProperty("proof", proof);
        return message.toString();
    }

    static String welcome() {
        return link(WELCOME).toString();
    }

    static String bye(String reason) {
        JsonObject message = link(BYE);
        message.addProperty("reason", reason);
        return message.toString();
    }

    private static JsonObject link(String type) {
        JsonObject message = new JsonObject();
        message.addProperty(LINK_KEY, type);
        return message;
    }
}
