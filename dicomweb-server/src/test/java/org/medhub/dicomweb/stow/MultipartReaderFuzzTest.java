package org.medhub.dicomweb.stow;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Fuzz target: a STOW-RS request as an outsider sends it, its Content-Type (the input's first line)
 * and body (the rest), through the boundary parsing and the multipart reader. Bad input may only end
 * in the parser's declared exceptions (answered 400 or 415): no other exception, no hang, and the
 * parts read never add up to more than the body they came in (no allocation beyond the input).
 * Seeds: {@code MultipartReaderFuzzTestInputs/request/}.
 */
class MultipartReaderFuzzTest {

    @FuzzTest(maxDuration = "10s")
    void request(byte[] input) throws IOException {
        int newline = indexOf(input, (byte) '\n');
        String contentType = new String(input, 0, newline < 0 ? input.length : newline, StandardCharsets.ISO_8859_1);
        byte[] body = newline < 0 ? new byte[0] : Arrays.copyOfRange(input, newline + 1, input.length);
        String boundary;
        try {
            boundary = MediaTypes.relatedBoundary(contentType);
        } catch (MediaTypes.UnsupportedContentTypeException e) {
            return; // 415
        }
        if (boundary == null) {
            return; // 400: no boundary
        }
        try {
            MultipartReader reader = new MultipartReader(new ByteArrayInputStream(body), boundary);
            long read = 0;
            MultipartReader.Part part;
            while ((part = reader.next()) != null) {
                assertThat(part.headers().toString().length()).isLessThanOrEqualTo(body.length + 16);
                read += drain(part.body());
                assertThat(read).isLessThanOrEqualTo(body.length);
            }
        } catch (MalformedMultipartException e) {
            assertThat(e.getMessage()).isNotBlank(); // 400: malformed body
        }
    }

    private static int indexOf(byte[] input, byte b) {
        for (int i = 0; i < input.length; i++) {
            if (input[i] == b) {
                return i;
            }
        }
        return -1;
    }

    private static long drain(InputStream body) throws IOException {
        byte[] buffer = new byte[4096];
        long total = 0;
        int n;
        while ((n = body.read(buffer, 0, buffer.length)) >= 0) {
            total += n;
        }
        return total;
    }
}
