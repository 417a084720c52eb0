package dev.switchboard.kernel.net;

import java.net.InetAddress;

/**
 * The text of client addresses (for X-Forwarded-For, X-Real-Ip and {@code RequestView.clientAddress()}), made when a
 * request needs it and remembered per loop in a small direct-mapped table: a connection keeps only the address object
 * its channel holds anyway (no string per idle connection), and requests from an address seen recently, which is the
 * usual case (keep-alive clients, a load balancer or NAT in front), build no string. Loop thread only.
 */
final class AddressNames {
    private static final int SIZE = 1024; // a power of two

    private final InetAddress[] addresses = new InetAddress[SIZE];
    private final String[] names = new String[SIZE];

    /** The address as text (IPv6 in its RFC 5952 short form, without brackets); empty for null. */
    String of(InetAddress address) {
        if (address == null) {
            return "";
        }
        int h = address.hashCode();
        int i = (h ^ (h >>> 16)) & (SIZE - 1);
        InetAddress known = addresses[i];
        if (known != null && (known == address || known.equals(address))) {
            return names[i];
        }
        String name = ClientConnection.formatAddress(address);
        addresses[i] = address;
        names[i] = name;
        return name;
    }
}
