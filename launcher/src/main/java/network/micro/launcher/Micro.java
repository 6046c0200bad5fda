package network.micro.launcher;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import network.micro.api.HostPort;
import network.micro.api.NodeProperties;
import network.micro.launcher.ViewClient.ViewException;
import network.micro.shell.view.ViewJson;
import network.micro.shell.view.ViewJson.View;

/** {@code bin/micro}: starts a node, or asks a running one for its views. */
public final class Micro {

    static final String USAGE = """
            usage: micro network [flags]                   start a node in the foreground
                   micro network nodes|routes|services|graph|links [--json]
                                 [--proxy-address=HOST:PORT] [--node=ID|HOST:PORT]   ask a node

            flags of a node (environment twin in brackets):
              --address=HOST:PORT        listen for links (MICRO_NETWORK_ADDRESS, default :8085)
              --nodes=HOST:PORT,...      nodes to join (MICRO_NETWORK_NODES)
              --token=SECRET             network token (MICRO_NETWORK_TOKEN, default go.micro.tunnel)
              --network=NAME             network name (MICRO_NETWORK, default go.micro)
              --advertise=HOST:PORT      the address peers should dial (MICRO_NETWORK_ADVERTISE)
              --proxy-address=HOST:PORT  proxy listener (MICRO_PROXY_ADDRESS, default 127.0.0.1:8081)
              --registry=NAME,...        registries: static, mdns, consul, etcd (MICRO_REGISTRY, default static)
              --registry-address=ADDR    the one registry's address, or the static services file
                                         (MICRO_REGISTRY_ADDRESS)
              --id=ID                    node id (MICRO_NETWORK_ID, default a fresh UUID)
              --console                  open the Gogo shell prompt
            """;

    private static final Map<String, String> NODE_FLAGS = Map.of(
            "address", "MICRO_NETWORK_ADDRESS",
            "nodes", "MICRO_NETWORK_NODES",
            "token", "MICRO_NETWORK_TOKEN",
            "network", "MICRO_NETWORK",
            "advertise", "MICRO_NETWORK_ADVERTISE",
            "proxy-address", "MICRO_PROXY_ADDRESS",
            "registry", "MICRO_REGISTRY",
            "registry-address", "MICRO_REGISTRY_ADDRESS",
            "id", "MICRO_NETWORK_ID");

    private static final Map<String, String> QUERY_FLAGS = Map.of("proxy-address", "MICRO_PROXY_ADDRESS", "node", "");

    private final PrintStream out;
    private final PrintStream err;
    private final UnaryOperator<String> environment;
    private final Path home;

    Micro(PrintStream out, PrintStream err, UnaryOperator<String> environment, Path home) {
        this.out = out;
        this.err = err;
        this.environment = environment;
        this.home = home;
    }

    public static void main(String[] args) {
        String home = System.getProperty(NodeProperties.HOME, ".");
        Micro micro = new Micro(
                System.out,
                System.err,
                System::getenv,
                Path.of(home).toAbsolutePath().normalize());
        int code;
        try {
            code = micro.run(List.of(args));
        } catch (Exception e) {
            System.err.println("micro: the node failed: " + e.getMessage());
            code = 1;
        }
        System.exit(code);
    }

    /** Runs the command line {@code args}; returns the exit code. */
    int run(List<String> args) throws Exception {
        if (args.isEmpty() || args.contains("--help") || args.contains("-h")) {
            (args.isEmpty() ? err : out).print(USAGE);
            return args.isEmpty() ? 2 : 0;
        }
        try {
            if (!args.get(0).equals("network")) {
                throw new UsageException("unknown command " + args.get(0));
            }
            List<String> rest = args.subList(1, args.size());
            if (!rest.isEmpty() && !rest.get(0).startsWith("--")) {
                return query(rest);
            }
            Flags flags = Flags.parse(rest, NODE_FLAGS, Set.of("console"), environment);
            return new NodeLauncher(home, NodeSettings.of(flags)).run();
        } catch (UsageException e) {
            err.println("micro: " + e.getMessage());
            err.print(USAGE);
            return 2;
        }
    }

    private int query(List<String> args) throws UsageException {
        View view = view(args.get(0));
        Flags flags = Flags.parse(args.subList(1, args.size()), QUERY_FLAGS, Set.of("json"), environment);
        if (!flags.arguments().isEmpty()) {
            throw new UsageException("unexpected argument " + flags.arguments().get(0));
        }
        HostPort proxy;
        try {
            proxy = HostPort.parse(flags.get("proxy-address", NodeProperties.DEFAULT_PROXY_ADDRESS));
        } catch (IllegalArgumentException e) {
            throw new UsageException("--proxy-address: " + e.getMessage());
        }
        try {
            String json = new ViewClient(proxy).get(view.path(), flags.get("node", null));
            Object value = ViewJson.read(view, json);
            out.print(flags.isSet("json") ? ViewJson.pretty(value) : ViewJson.table(view, value));
            out.flush();
            return 0;
        } catch (ViewException | IllegalArgumentException e) {
            err.println("micro: " + e.getMessage());
            return 1;
        }
    }

    private static View view(String name) throws UsageException {
        for (View view : View.values()) {
            if (view.path().equals("/" + name)) {
                return view;
            }
        }
        throw new UsageException("unknown subcommand " + name + "; try nodes, routes, services, graph or links");
    }
}
