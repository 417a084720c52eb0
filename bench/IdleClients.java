import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Opens N keep-alive connections to 127.0.0.1:PORT, sends one GET on each and reads its response, then holds them
 * idle until stdin closes or a line arrives. Prints "ready N" when all are idle. With a third argument {@code churn},
 * closes each connection after its response instead (one open at a time): traffic that warms a proxy up without
 * leaving it N connections' worth of pooled memory. Used by idle.sh.
 */
public final class IdleClients {
    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        int n = Integer.parseInt(args[1]);
        boolean churn = args.length > 2 && args[2].equals("churn");
        byte[] request = "GET / HTTP/1.1\r\nHost: bench\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        List<Socket> sockets = new ArrayList<>(n);
        byte[] buf = new byte[4096];
        for (int i = 0; i < n; i++) {
            Socket s = new Socket();
            s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            s.setSoTimeout(10000);
            OutputStream out = s.getOutputStream();
            out.write(request);
            out.flush();
            InputStream in = s.getInputStream();
            // The response is small; read until the header's end and the ~100-byte body have arrived.
            int total = 0;
            String text = "";
            while (true) {
                int r = in.read(buf, total, buf.length - total);
                if (r < 0) {
                    throw new IllegalStateException("connection " + i + " closed before its response");
                }
                total += r;
                text = new String(buf, 0, total, StandardCharsets.ISO_8859_1);
                int end = text.indexOf("\r\n\r\n");
                if (end >= 0) {
                    int cl = text.toLowerCase().indexOf("content-length:");
                    int len = cl < 0 ? 0 : Integer.parseInt(text.substring(cl + 15, text.indexOf("\r\n", cl)).trim());
                    if (total >= end + 4 + len) {
                        break;
                    }
                }
            }
            if (churn) {
                s.close();
            } else {
                sockets.add(s);
            }
        }
        System.out.println("ready " + sockets.size());
        System.out.flush();
        System.in.read();
        for (Socket s : sockets) {
            s.close();
        }
    }
}
