package co.soukosync.db;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The TCP port of a server this process starts (the embedded PostgreSQL; in the tests also their
 * WireMock servers and the services they start): free when chosen, and below the ports
 * the operating system hands out for port 0 and outgoing connections (Linux 32768-60999, macOS
 * and Windows 49152-65535). A port taken from that range, as one asked of the system is, can be
 * handed to a web server on port 0 or a client socket before the server binds it; the server
 * then does not start, and zonky waits its whole start-up time before it says so.
 */
public final class ServerPorts {

    static final int LOWEST = 15000;
    static final int HIGHEST = 32767;

    private ServerPorts() {}

    public static int free() {
        for (int attempt = 0; attempt < 200; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(LOWEST, HIGHEST + 1);
            try (ServerSocket socket = new ServerSocket()) {
                socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
                return port;
            } catch (IOException taken) {
                // another one
            }
        }
        throw new IllegalStateException("no free port between " + LOWEST + " and " + HIGHEST + " for a server");
    }
}
