"""A DNS-SD peer for the mDNS registry's tests, built on python3-zeroconf (not our code).

Usage: zeroconf_peer.py ADDRESS TYPE. Browses TYPE on the interface of ADDRESS and prints one line per event:
"ADD <instance> <address>:<port> <name>" and "REMOVE <instance>". Commands on standard input, one a line:
"register" announces the instance "pyecho" of service "echo" at ADDRESS:7070, "unregister" says goodbye for it.
End of input closes Zeroconf (which says goodbye for anything still announced) and exits.
"""

import socket
import sys

from zeroconf import ServiceBrowser, ServiceInfo, ServiceStateChange, Zeroconf


def main():
    address, service_type = sys.argv[1], sys.argv[2]
    zeroconf = Zeroconf(interfaces=[address])
    info = ServiceInfo(
        service_type,
        "pyecho." + service_type,
        addresses=[socket.inet_aton(address)],
        port=7070,
        properties={"name": "echo", "version": "1.0", "meta.zone": "namespace"},
    )

    def on_change(zeroconf, service_type, name, state_change):
        if state_change is ServiceStateChange.Removed:
            say("REMOVE", name)
            return
        found = zeroconf.get_service_info(service_type, name, timeout=3000)
        if found is not None:
            txt = {key.decode(): (value or b"").decode() for key, value in found.properties.items()}
            say("ADD", name, "%s:%d" % (found.parsed_addresses()[0], found.port), txt.get("name", ""))

    browser = ServiceBrowser(zeroconf, service_type, handlers=[on_change])
    say("READY")
    try:
        for line in sys.stdin:
            command = line.strip()
            if command == "register":
                zeroconf.register_service(info)
                say("REGISTERED")
            elif command == "unregister":
                zeroconf.unregister_service(info)
                say("UNREGISTERED")
    finally:
        browser.cancel()
        zeroconf.close()


def say(*words):
    print(" ".join(words), flush=True)


if __name__ == "__main__":
    main()
