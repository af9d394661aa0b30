package org.medhub.dicomweb.stow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MultipartReaderTest {

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static List<byte[]> bodies(InputStream in, String boundary) throws IOException {
        MultipartReader reader = new MultipartReader(in, boundary);
        List<byte[]> bodies = new ArrayList<>();
        MultipartReader.Part part;
        while ((part = reader.next()) != null) {
            bodies.add(part.body().readAllBytes());
        }
        return bodies;
    }

    @Test
    void readsPartsWithHeadersAndBinaryBodies() throws IOException {
        byte[] body = bytes("--b1\r\nContent-Type: application/dicom\r\n\r\nfirst\r\n--b1\r\n"
                + "Content-Type: application/dicom\r\nX-Extra: 1\r\n\r\n\r\nsecond\r\n\r\n--b1--\r\n");
        MultipartReader reader = new MultipartReader(new ByteArrayInputStream(body), "b1");
        MultipartReader.Part first = reader.next();
        assertThat(first.contentType()).isEqualTo("application/dicom");
        assertThat(new String(first.body().readAllBytes(), StandardCharsets.ISO_8859_1)).isEqualTo("first");
        MultipartReader.Part second = reader.next();
        assertThat(second.headers()).containsEntry("x-extra", "1");
        assertThat(new String(second.body().readAllBytes(), StandardCharsets.ISO_8859_1)).isEqualTo("\r\nsecond\r\n");
        assertThat(reader.next()).isNull();
    }

    @Test
    void skipsPreambleAndTransportPaddingAndUnreadBodies() throws IOException {
        byte[] body = bytes("preamble text\r\n--xyz   \r\nA: b\r\n\r\nnot read\r\n--xyz\r\n\r\nread\r\n--xyz--");
        MultipartReader reader = new MultipartReader(new ByteArrayInputStream(body), "xyz");
        reader.next();
        MultipartReader.Part second = reader.next();
        assertThat(second.headers()).isEmpty();
        assertThat(second.body().readAllBytes()).isEqualTo(bytes("read"));
        assertThat(reader.next()).isNull();
    }

    @Test
    void findsDelimitersSplitAcrossReadsInLargeRandomBodies() throws IOException {
        Random random = new Random(42);
        byte[][] payloads = {new byte[200_000], new byte[1], new byte[65_537]};
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (byte[] payload : payloads) {
            random.nextBytes(payload);
            body.write(bytes("--boundary-42\r\nContent-Type: application/dicom\r\n\r\n"));
            body.write(payload);
            body.write(bytes("\r\n"));
        }
        body.write(bytes("--boundary-42--\r\n"));
        // A stream that hands out at most 7 bytes per read, so delimiters straddle reads.
        InputStream trickle = new FilterInputStream(new ByteArrayInputStream(body.toByteArray())) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return super.read(b, off, Math.min(len, 7));
            }
        };
        List<byte[]> bodies = bodies(trickle, "boundary-42");
        assertThat(bodies).hasSize(3);
        for (int i = 0; i < payloads.length; i++) {
            assertThat(bodies.get(i)).isEqualTo(payloads[i]);
        }
    }

    @Test
    void missingCloseDelimiterIsMalformed() {
        byte[] body = bytes("--b\r\n\r\ntruncated part");
        assertThatThrownBy(() -> bodies(new ByteArrayInputStream(body), "b"))
                .isInstanceOf(MalformedMultipartException.class);
    }

    @Test
    void anOverlongBoundaryIsMalformedInput() {
        // Found by MultipartReaderFuzzTest: it was an IllegalArgumentException, a 500 for the client's error.
        assertThatThrownBy(() -> bodies(new ByteArrayInputStream(bytes("--x--")), "x".repeat(201)))
                .isInstanceOf(MalformedMultipartException.class).hasMessageContaining("RFC 2046");
    }

    @Test
    void bodyWithoutAnyBoundaryIsMalformed() {
        assertThatThrownBy(() -> bodies(new ByteArrayInputStream(bytes("just some bytes")), "b"))
                .isInstanceOf(MalformedMultipartException.class);
    }

    @Test
    void emptyMultipartHasNoParts() throws IOException {
        assertThat(bodies(new ByteArrayInputStream(bytes("--b--\r\n")), "b")).isEmpty();
    }
}
