package dev.switchboard.kernel.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class AddressNamesTest {

    @Test
    void anAddressSeenBeforeGetsTheSameTextWithoutANewString() throws Exception {
        AddressNames names = new AddressNames();
        String first = names.of(InetAddress.getByName("192.0.2.7"));
        assertEquals("192.0.2.7", first);
        assertSame(first, names.of(InetAddress.getByName("192.0.2.7")), "an equal address object, not the same one");
        assertEquals("", names.of(null));
    }

    @Test
    void everyAddressGetsItsOwnTextWhateverItsSlot() throws Exception {
        AddressNames names = new AddressNames();
        for (int round = 0; round < 2; round++) {
            for (int a = 0; a < 8; a++) {
                for (int b = 0; b < 256; b++) {
                    String ip = "10." + a + ".3." + b;
                    assertEquals(ip, names.of(InetAddress.getByName(ip)));
                }
            }
        }
        assertEquals("2001:db8::1", names.of(InetAddress.getByName("2001:db8:0:0:0:0:0:1")));
    }
}
