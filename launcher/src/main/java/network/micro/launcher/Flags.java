package network.micro.launcher;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Command line flags, {@code --name=value} or {@code --name value}, each with an optional environment twin. A flag
 * given on the command line wins over its environment variable, which wins over the default.
 */
final class Flags {

    private final Map<String, String> values = new HashMap<>();
    private final List<String> arguments = new ArrayList<>();
    private final Map<String, String> environmentTwins;
    private final UnaryOperator<String> environment;

    private Flags(Map<String, String> environmentTwins, UnaryOperator<String> environment) {
        this.environmentTwins = environmentTwins;
        this.environment = environment;
    }

    /**
     * Parses {@code args}.
     *
     * @param valued the flags that take a value, with their environment variables ({@code ""} for none)
     * @param switches the flags that take none
     * @throws UsageException naming an unknown flag or a flag without its value
     */
    static Flags parse(
            List<String> args, Map<String, String> valued, Set<String> switches, UnaryOperator<String> environment)
            throws UsageException {
        Flags flags = new Flags(valued, environment);
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (!arg.startsWith("--") || arg.equals("--")) {
                flags.arguments.add(arg);
                continue;
            }
            int equals = arg.indexOf('=');
            String name = arg.substring(2, equals < 0 ? arg.length() : equals);
            if (switches.contains(name) && equals < 0) {
                flags.values.put(name, "true");
            } else if (valued.containsKey(name)) {
                String value;
                if (equals >= 0) {
                    value = arg.substring(equals + 1);
                } else if (i + 1 < args.size()) {
                    value = args.get(++i);
                } else {
                    throw new UsageException("flag --" + name + " needs a value");
                }
                flags.values.put(name, value);
            } else {
                throw new UsageException("unknown flag " + (equals < 0 ? arg : arg.substring(0, equals)));
            }
        }
        return flags;
    }

    /** The flag's value, else its environment variable's, else {@code fallback}. */
    String get(String name, String fallback) {
        String value = values.get(name);
        if (value == null) {
            String twin = environmentTwins.getOrDefault(name, "");
            value = twin.isEmpty() ? null : environment.apply(twin);
        }
        return value == null || value.isBlank() ? fallback : value;
    }

    boolean isSet(String name) {
        return "true".equals(values.get(name));
    }

    /** The words that are not flags, in order. */
    List<String> arguments() {
        return arguments;
    }
}
