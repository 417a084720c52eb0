package dev.switchboard.kernel.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.switchboard.kernel.routing.Router;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code RequestView.clientAddress()} through a real proxy (clients are 127.0.0.1): the TCP peer, unless the peer is
 * a trusted proxy, in which case the right-most {@code X-Forwarded-For} entry that is not itself trusted (nginx
 * {@code real_ip_recursive}).
 */
@Timeout(30)
class ClientAddressBehindTrustedProxyTest {
    private final LinkedBlockingQueue<String> seen = new LinkedBlockingQueue<>();
    private final Router recording = request -> {
        seen.add(request.clientAddress());
        return null; // 404: only the address matters
    };

    private String clientAddressSeenFor(List<String> trusted, String forwardedForLines) throws Exception {
        ProxySettings.Listener l = new ProxySettings.Listener("http",
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), trusted);
        ProxyServer server = new ProxyServer(ProxySettings.defaults(List.of(l)), () -> recording);
        server.start();
        try (TestClient c = new TestClient(server.boundAddress("http"))) {
            c.send("GET / HTTP/1.1\r\nHost: a.test\r\n" + forwardedForLines + "\r\n");
            assertEquals(404, c.read().status());
            String address = seen.poll(10, TimeUnit.SECONDS);
            assertNull(seen.poll(), "routed once");
            return address;
        } finally {
            server.shutdown();
        }
    }

    private static String xff(String... values) {
        StringBuilder b = new StringBuilder();
        for (String v : values) {
            b.append("X-Forwarded-For: ").append(v).append("\r\n");
        }
        return b.toString();
    }

    @Test
    void untrustedPeersForwardedForIsIgnoredAndThePeerIsTheClient() throws Exception {
        assertEquals("127.0.0.1", clientAddressSeenFor(List.of(), xff("203.0.113.7")));
        assertEquals("127.0.0.1", clientAddressSeenFor(List.of("10.0.0.0/8"), xff("203.0.113.7")));
    }

    @Test
    void trustedPeerWithoutForwardedForIsItselfTheClient() throws Exception {
        assertEquals("127.0.0.1", clientAddressSeenFor(List.of("127.0.0.1"), ""));
    }

    @Test
    void trustedPeersSingleForwardedForEntryIsTheClient() throws Exception {
        assertEquals("203.0.113.7", clientAddressSeenFor(List.of("127.0.0.1"), xff("203.0.113.7")));
    }

    @Test
    void rightMostEntryThatIsNotTrustedIsTheClientAndSpoofedEntriesLeftOfItAreIgnored() throws Exception {
        assertEquals("203.0.113.7", clientAddressSeenFor(List.of("127.0.0.1", "10.0.0.0/8"),
                xff("198.51.100.1, 203.0.113.7, 10.0.0.2")));
    }

    @Test
    void severalFieldLinesAreOneListInOrder() throws Exception {
        assertEquals("198.51.100.1", clientAddressSeenFor(List.of("127.0.0.1", "10.0.0.0/8"),
                xff("198.51.100.1", "10.1.1.1,10.2.2.2")));
    }

    @Test
    void whenEveryEntryIsTrustedTheLeftMostIsTheClient() throws Exception {
        assertEquals("10.1.1.1", clientAddressSeenFor(List.of("127.0.0.1", "10.0.0.0/8"),
                xff("10.1.1.1, 10.2.2.2")));
    }

    @Test
    void insecureTrustsEveryoneSoTheLeftMostEntryIsTheClient() throws Exception {
        // forwardedHeaders.insecure = true is read as these two ranges.
        assertEquals("198.51.100.1", clientAddressSeenFor(List.of("0.0.0.0/0", "::/0"),
                xff("198.51.100.1, 203.0.113.7")));
    }

    @Test
    void entryThatIsNotAnAddressEndsTheWalkAtTheLastTrustedHopAndNoNameIsResolved() throws Exception {
        assertEquals("10.0.0.2", clientAddressSeenFor(List.of("127.0.0.1", "10.0.0.0/8"),
                xff("203.0.113.9, localhost, 10.0.0.2")));
        assertEquals("127.0.0.1", clientAddressSeenFor(List.of("127.0.0.1"), xff("unknown")));
        assertEquals("127.0.0.1", clientAddressSeenFor(List.of("127.0.0.1"), xff("1.2.3.4:5678")));
        assertEquals("127.0.0.1", clientAddressSeenFor(List.of("127.0.0.1"), xff("256.1.1.1")));
        assertEquals("127.0.0.1", clientAddressSeenFor(List.of("127.0.0.1"), xff("1.2.3")));
    }

    @Test
    void ipv6EntriesAreFormattedAsThePeerIsBracketsOrNot() throws Exception {
        assertEquals("2001:db8::1", clientAddressSeenFor(List.of("127.0.0.1"), xff("2001:DB8:0:0::1")));
        assertEquals("2001:db8::2", clientAddressSeenFor(List.of("127.0.0.1"), xff("[2001:db8::2]")));
        assertEquals("203.0.113.7", clientAddressSeenFor(List.of("127.0.0.1"), xff("::ffff:203.0.113.7")));
    }

    @Test
    void emptyEntriesAreSkipped() throws Exception {
        assertEquals("203.0.113.7", clientAddressSeenFor(List.of("127.0.0.1"), xff("203.0.113.7, ,")));
    }

    @Test
    void literalParsingNeverLooksANameUp() throws IOException {
        assertNull(ForwardedFor.parseLiteral("example.com"));
        assertNull(ForwardedFor.parseLiteral("cafe"));
        assertNull(ForwardedFor.parseLiteral("face:b00c:zz::1"));
        assertNull(ForwardedFor.parseLiteral(".:1"));
        assertNull(ForwardedFor.parseLiteral("fe80::1%eth0"));
        assertEquals(InetAddress.getByName("192.0.2.1"), ForwardedFor.parseLiteral("192.0.2.1"));
    }
}
