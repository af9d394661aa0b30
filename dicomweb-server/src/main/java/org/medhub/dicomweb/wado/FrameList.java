package org.medhub.dicomweb.wado;

import java.util.Arrays;
import org.medhub.dicomweb.DicomwebLimits;
import org.medhub.dicomweb.web.DicomwebErrors.DicomwebException;
import org.springframework.http.HttpStatus;

/**
 * The {@code {frameList}} of a frames or rendered-frames URL (PS3.18 8.3.1.1: comma-separated
 * frame numbers, 1-based), checked before any frame is read: at most
 * {@code medhub.dicomweb.limits.max-frames-per-request} numbers, each at most once.
 *
 * <p>A repeated number is refused (400), not answered once: the parts of the answer correspond to
 * the list in order, so silently dropping a repeat would shift every later part onto the wrong frame
 * for a client that counts them, and answering each repeat would let a short URL multiply the
 * answer (one frame a hundred times).
 */
final class FrameList {

    private FrameList() {}

    static int[] parse(String list, DicomwebLimits limits) {
        String[] items = list.split(",", -1);
        if (items.length > limits.maxFramesPerRequest()) {
            throw new DicomwebException(HttpStatus.BAD_REQUEST, "the frame list names " + items.length
                    + " frames; at most " + limits.maxFramesPerRequest() + " are answered at once ("
                    + DicomwebLimits.PREFIX + "max-frames-per-request)");
        }
        int[] numbers = new int[items.length];
        for (int i = 0; i < items.length; i++) {
            String item = items[i].strip();
            if (!item.matches("[0-9]{1,9}") || Integer.parseInt(item) < 1) {
                throw new DicomwebException(HttpStatus.BAD_REQUEST,
                        "frame list must be comma-separated frame numbers from 1: " + abbreviate(list));
            }
            numbers[i] = Integer.parseInt(item);
        }
        int[] sorted = numbers.clone();
        Arrays.sort(sorted);
        for (int i = 1; i < sorted.length; i++) {
            if (sorted[i] == sorted[i - 1]) {
                throw new DicomwebException(HttpStatus.BAD_REQUEST, "frame " + sorted[i]
                        + " is named more than once in the frame list; name each frame once");
            }
        }
        return numbers;
    }

    private static String abbreviate(String text) {
        return text.length() > 80 ? text.substring(0, 80) + "..." : text;
    }
}
