package org.medhub.dicomweb.stow;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a {@code multipart/related} body (RFC 2046 5.1, RFC 2387) part by part from a stream,
 * holding only a small buffer: a part's body is itself a stream that ends at the next delimiter.
 * Tolerant where clients differ (preamble, transport padding after a boundary, LF-only header
 * lines); strict where a wrong guess would corrupt data (a missing close delimiter is an error).
 */
final class MultipartReader {

    private static final int BUFFER_SIZE = 64 * 1024;
    private static final int MAX_HEADER_BYTES = 16 * 1024;
    private static final int MAX_BOUNDARY = 200;

    private final InputStream in;
    private final byte[] delimiter;
    private final byte[] buffer = new byte[BUFFER_SIZE];
    private int position;
    private int limit;
    private boolean endOfInput;
    private PartBody current;
    private boolean finished;

    /**
     * @throws MalformedMultipartException for a boundary no body can use: empty, or longer than
     *     {@value #MAX_BOUNDARY} characters (RFC 2046 5.1.1 allows 70; longer ones are tolerated up
     *     to this bound, which keeps a delimiter well inside the buffer). It comes from the client's
     *     Content-Type, so it is the client's error (400), never the server's.
     */
    MultipartReader(InputStream in, String boundary) throws MalformedMultipartException {
        if (boundary == null || boundary.isEmpty() || boundary.length() > MAX_BOUNDARY) {
            throw new MalformedMultipartException("the boundary must be 1 to " + MAX_BOUNDARY
                    + " characters (RFC 2046 5.1.1 allows 70)");
        }
        this.in = in;
        this.delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        // The first boundary may open the body without a preceding CRLF; a virtual one makes it a
        // delimiter like the others.
        buffer[0] = '\r';
        buffer[1] = '\n';
        limit = 2;
    }

    /** The next part, or null after the close delimiter. The previous part's body is skipped. */
    Part next() throws IOException {
        if (finished) {
            return null;
        }
        (current == null ? new PartBody() : current).skipRest();
        current = null;
        if (!ensure(2)) {
            throw new MalformedMultipartException("body ends after a boundary without the close delimiter");
        }
        if (buffer[position] == '-' && buffer[position + 1] == '-') {
            finished = true;
            return null;
        }
        readLine(); // transport padding up to the end of the boundary line
        Map<String, String> headers = new LinkedHashMap<>();
        int headerBytes = 0;
        while (true) {
            String line = readLine();
            headerBytes += line.length() + 2;
            if (headerBytes > MAX_HEADER_BYTES) {
                throw new MalformedMultipartException("part headers longer than " + MAX_HEADER_BYTES + " bytes");
            }
            if (line.isEmpty()) {
                break;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new MalformedMultipartException("malformed part header line: " + abbreviate(line));
            }
            headers.put(line.substring(0, colon).strip().toLowerCase(Locale.ROOT), line.substring(colon + 1).strip());
        }
        current = new PartBody();
        return new Part(headers, current);
    }

    /** A line up to CRLF (or LF), without it; ISO-8859-1 (header values are ASCII). */
    private String readLine() throws IOException {
        StringBuilder line = new StringBuilder();
        while (true) {
            if (!ensure(1)) {
                throw new MalformedMultipartException("body ends inside a part header");
            }
            byte b = buffer[position++];
            if (b == '\n') {
                int length = line.length();
                if (length > 0 && line.charAt(length - 1) == '\r') {
                    line.setLength(length - 1);
                }
                return line.toString();
            }
            line.append((char) (b & 0xFF));
            if (line.length() > MAX_HEADER_BYTES) {
                throw new MalformedMultipartException("header line too long");
            }
        }
    }

    /** Buffers at least {@code count} unread bytes; false if the input ends first. */
    private boolean ensure(int count) throws IOException {
        if (limit - position >= count) {
            return true;
        }
        if (position > 0) {
            System.arraycopy(buffer, position, buffer, 0, limit - position);
            limit -= position;
            position = 0;
        }
        while (limit < count && !endOfInput) {
            int read = in.read(buffer, limit, buffer.length - limit);
            if (read < 0) {
                endOfInput = true;
            } else {
                limit += read;
            }
        }
        return limit - position >= count;
    }

    private int indexOfDelimiter() {
        int last = limit - delimiter.length;
        outer:
        for (int i = position; i <= last; i++) {
            for (int j = 0; j < delimiter.length; j++) {
                if (buffer[i + j] != delimiter[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static String abbreviate(String text) {
        return text.length() > 80 ? text.substring(0, 80) + "..." : text;
    }

    /** A part's headers (names lower-cased) and its body, readable until the next part is requested. */
    record Part(Map<String, String> headers, InputStream body) {

        String contentType() {
            return headers.get("content-type");
        }
    }

    /** The bytes up to the next delimiter; reading past the input's end without one is an error. */
    private final class PartBody extends InputStream {

        private boolean done;

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] target, int offset, int length) throws IOException {
            if (done) {
                return -1;
            }
            if (length == 0) {
                return 0;
            }
            // Keep a whole delimiter's worth buffered so one split across reads is still found.
            ensure(Math.min(buffer.length / 2, delimiter.length + length));
            int found = indexOfDelimiter();
            if (found == position) {
                position += delimiter.length;
                done = true;
                return -1;
            }
            int available;
            if (found >= 0) {
                available = found - position;
            } else if (endOfInput) {
                available = limit - position;
                if (available == 0) {
                    throw new MalformedMultipartException("body ends inside a part: close delimiter missing");
                }
            } else {
                available = limit - position - delimiter.length + 1;
            }
            int n = Math.min(length, available);
            System.arraycopy(buffer, position, target, offset, n);
            position += n;
            return n;
        }

        void skipRest() throws IOException {
            byte[] sink = new byte[8192];
            while (read(sink, 0, sink.length) >= 0) {
                // discard
            }
        }
    }
}
