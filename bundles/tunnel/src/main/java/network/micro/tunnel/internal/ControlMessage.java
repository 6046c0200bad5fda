package network.micro.tunnel.internal;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

/**
 * One decoded control message: its text as received and its parsed form.
 *
 * @param json the JSON object as received, without the newline
 * @param object {@code json} parsed
 */
record ControlMessage(String json, JsonObject object) {

    /** The link's own message type, from the reserved {@value ControlMessages#LINK_KEY} key; null for others. */
    String linkType() {
        JsonElement type = object.get(ControlMessages.LINK_KEY);
        return type != null && type.isJsonPrimitive() ? type.getAsString() : null;
    }

    /** A string member of the message, or empty when absent or not a string. */
    String text(String name) {
        JsonElement value = object.get(name);
        return value != null && value.isJsonPrimitive() ? value.getAsString() : "";
    }
}
