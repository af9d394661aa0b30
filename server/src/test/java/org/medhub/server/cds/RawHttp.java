package org.medhub.server.cds;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * HTTP/1.x written by hand, for what {@code java.net.http} does not allow: a forged {@code Host}
 * header, a body that is announced but not (yet) sent, a chosen local address (a "proxy" on
 * 127.0.0.2).
 */
final class RawHttp implements AutoCloseable {

    private final Socket socket = new Socket();

    RawHttp(String localAddress, int port, Duration readTimeout) throws IOException {
        socket.bind(new InetSocketAddress(InetAddress.getByName(localAddress), 0));
        socket.connect(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port), 5000);
        socket.setSoTimeout((int) readTimeout.toMillis());
    }

    /** Sends the request line and headers (CRLF-joined, the blank line added) and the first body bytes. */
    RawHttp send(String head, byte[] body) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write((head.replace("\n", "\r\n") + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.write(body);
        out.flush();
        return this;
    }

    /** The status line, e.g. {@code HTTP/1.1 401 }; throws {@code SocketTimeoutException} when none comes in time. */
    String statusLine() throws IOException {
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b >= 0 && b != '\n'; b = in.read()) {
            line.write(b);
        }
        return line.toString(StandardCharsets.ISO_8859_1).strip();
    }

    /** Everything the server sends until it closes the connection (an HTTP/1.0 exchange). */
    String all() throws IOException {
        return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }

    static int status(String response) {
        return Integer.parseInt(response.substring(response.indexOf(' ') + 1, response.indexOf(' ') + 4));
    }

    static String body(String response) {
        return response.substring(response.indexOf("\r\n\r\n") + 4);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
