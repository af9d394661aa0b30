package org.medhub.dicomweb.stow;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.medhub.dicomweb.DicomwebLimits;
import org.medhub.dicomweb.DicomwebProperties.DuplicatePolicy;
import org.medhub.dicomweb.DicomwebServerTest;
import org.medhub.dicomweb.index.DicomIndex;
import org.medhub.dicomweb.index.IndexedInstance;
import org.medhub.dicomweb.store.DicomStorage;
import org.medhub.dicomweb.stow.StowProperties.TranscodedDuplicate;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * {@code medhub.dicomweb.duplicate-policy=replace}: a different object under a stored SOP Instance
 * UID replaces the stored one, in the index and in the store, and the old file goes.
 */
@DicomwebServerTest
class StowReplaceIT {

    private static final Path REPORT = Path.of("/usr/lib/python3/dist-packages/pydicom/data/test_files/test-SR.dcm");

    @Autowired
    DicomIndex index;

    @Autowired
    DicomStorage storage;

    @Autowired
    DicomwebLimits limits;

    @Test
    void aDifferentObjectReplacesTheStoredOneUnderReplace() throws IOException {
        StowService replacing = new StowService(storage, index, DuplicatePolicy.REPLACE, TranscodedDuplicate.KEEP, limits);
        byte[] original = Files.readAllBytes(REPORT);
        List<StowService.Outcome> first = store(replacing, original);
        assertThat(first).allMatch(StowService.Outcome::succeeded);
        String sop = first.get(0).instance().sopInstanceUid();
        IndexedInstance before = index.find(sop).orElseThrow();

        byte[] changed = original.clone();
        changed[changed.length - 1] ^= 0x01; // a different object, same identity
        List<StowService.Outcome> second = store(replacing, changed);
        assertThat(second).allMatch(StowService.Outcome::succeeded);

        IndexedInstance after = index.find(sop).orElseThrow();
        assertThat(after.sha256()).isNotEqualTo(before.sha256());
        assertThat(storage.keys()).contains(after.storageKey()).doesNotContain(before.storageKey());
        assertThat(Files.readAllBytes(storage.file(after.storageKey()))).isEqualTo(changed);

        List<StowService.Outcome> rejected = store(new StowService(storage, index, DuplicatePolicy.REJECT, TranscodedDuplicate.KEEP, limits), original);
        assertThat(rejected.get(0).failureReason()).isEqualTo(StowService.DUPLICATE_SOP_INSTANCE);
        assertThat(index.find(sop).orElseThrow().sha256()).isEqualTo(after.sha256());
    }

    @Test
    void aTranscodedCopyReplacesTheStoredEncodingUnderReplaceAndIsWarnedAbout() throws IOException {
        StowService replacing = new StowService(storage, index, DuplicatePolicy.REJECT, TranscodedDuplicate.REPLACE, limits);
        byte[] original = ownUids(Path.of("/usr/lib/python3/dist-packages/pydicom/data/test_files/MR_small.dcm"));
        byte[] rle = ownUids(Path.of("/usr/lib/python3/dist-packages/pydicom/data/test_files/MR_small_RLE.dcm"));
        String sop = store(replacing, original).get(0).instance().sopInstanceUid();

        List<StowService.Outcome> copy = store(replacing, rle);

        assertThat(copy).singleElement().satisfies(outcome -> {
            assertThat(outcome.succeeded()).isTrue();
            assertThat(outcome.warningReason()).isEqualTo(StowService.COERCION_OF_DATA_ELEMENTS);
        });
        IndexedInstance after = index.find(sop).orElseThrow();
        assertThat(after.transferSyntaxUid()).isEqualTo("1.2.840.10008.1.2.5");
        assertThat(Files.readAllBytes(storage.file(after.storageKey()))).isEqualTo(rle);
    }

    /** An MR_small variant under UIDs of this test's own (same length). */
    private static byte[] ownUids(Path file) throws IOException {
        return new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1)
                .replace("20040826185059.5457", "20040826185059.4545").getBytes(StandardCharsets.ISO_8859_1);
    }

    private static List<StowService.Outcome> store(StowService service, byte[] object) throws IOException {
        byte[] head = "--b\r\nContent-Type: application/dicom\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        byte[] tail = "\r\n--b--\r\n".getBytes(StandardCharsets.US_ASCII);
        byte[] body = new byte[head.length + object.length + tail.length];
        System.arraycopy(head, 0, body, 0, head.length);
        System.arraycopy(object, 0, body, head.length, object.length);
        System.arraycopy(tail, 0, body, head.length + object.length, tail.length);
        List<StowService.Outcome> outcomes = new ArrayList<>();
        service.store(new ByteArrayInputStream(body), body.length, "b", null, outcomes);
        return outcomes;
    }
}
