package io.jnatsd.server;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** The machine's interface addresses, for expanding a 0.0.0.0 listener into URLs (ports file, connect_urls). */
final class LocalAddresses {

    private LocalAddresses() {
    }

    /** Every up interface's address, IPv4 first; loopback included. */
    static List<String> all() {
        List<String> v4 = new ArrayList<>();
        List<String> v6 = new ArrayList<>();
        try {
            for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (!nif.isUp()) {
                    continue;
                }
                for (InetAddress address : Collections.list(nif.getInetAddresses())) {
                    if (address instanceof Inet6Address v6Address) {
                        if (!v6Address.isLinkLocalAddress()) {
                            String text = address.getHostAddress();
                            int zone = text.indexOf('%');
                            v6.add(zone < 0 ? text : text.substring(0, zone));
                        }
                    } else {
                        v4.add(address.getHostAddress());
                    }
                }
            }
        } catch (SocketException e) {
            return List.of("127.0.0.1");
        }
        v4.addAll(v6);
        return v4.isEmpty() ? List.of("127.0.0.1") : v4;
    }
}
