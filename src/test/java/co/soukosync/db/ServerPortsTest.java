package co.soukosync.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

/** Ports for the servers the service and its tests start: free, and outside the range of port 0. */
class ServerPortsTest {

    @Test
    void aPortIsFreeAndBelowTheRangeThatPortZeroComesFrom() throws Exception {
        for (int i = 0; i < 50; i++) {
            int port = ServerPorts.free();
            assertThat(port).isBetween(ServerPorts.LOWEST, ServerPorts.HIGHEST).isLessThan(32768);
            try (ServerSocket server = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                assertThat(server.getLocalPort()).isEqualTo(port);
            }
        }
    }

    @Test
    void aPortInUseIsNotGiven() throws Exception {
        try (ServerSocket taken = new ServerSocket(ServerPorts.free(), 1, InetAddress.getLoopbackAddress())) {
            for (int i = 0; i < 2000; i++) {
                assertThat(ServerPorts.free()).isNotEqualTo(taken.getLocalPort());
            }
        }
    }
}
