package org.medhub.dicomweb.dicom;

import static org.assertj.core.api.Assertions.assertThat;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.OtherWordAttribute;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.UnsignedShortAttribute;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medhub.dicomweb.deid.AttributeTable;
import org.medhub.dicomweb.deid.DeidOption;
import org.medhub.dicomweb.deid.DeidProfile;
import org.medhub.dicomweb.deid.Deidentifier;
import org.medhub.dicomweb.deid.PixelRules;

/**
 * The cost of de-identifying one CT-sized instance (512 x 512, 16 bits: CT_small's header with a
 * full-size pixel matrix) from file to PS3.10 bytes in memory, research profile: 30 warm-up runs,
 * then the median of 200. Printed for docs/dicomweb.md; the bound only catches a gross regression.
 */
class DeidentificationCostTest {

    @Test
    void aCtSizedInstanceIsDeidentifiedInFarLessThanASecond(@TempDir Path directory) throws Exception {
        AttributeList list = DeidentifiedObjectsTest.read(Files.readAllBytes(DeidentifiedObjectsTest.CORPUS.resolve("CT_small.dcm")));
        for (var tag : List.of(TagFromName.Rows, TagFromName.Columns)) {
            UnsignedShortAttribute size = new UnsignedShortAttribute(tag);
            size.addValue(512);
            list.put(size);
        }
        OtherWordAttribute pixels = new OtherWordAttribute(TagFromName.PixelData);
        short[] values = new short[512 * 512];
        Arrays.fill(values, (short) 1000);
        pixels.setValues(values);
        list.put(pixels);
        Path file = directory.resolve("ct512.dcm");
        list.write(file.toFile(), "1.2.840.10008.1.2.1", true, true);

        Deidentifier engine = new Deidentifier(AttributeTable.standard(), new PixelRules(List.of(), Set.of("CT")),
                DeidentifiedObjectsTest.SECRET);
        DeidProfile research = new DeidProfile("research", "", Set.of(DeidOption.RETAIN_LONGITUDINAL_MODIFIED_DATES,
                DeidOption.RETAIN_PATIENT_CHARACTERISTICS, DeidOption.CLEAN_DESCRIPTORS, DeidOption.CLEAN_STRUCTURED_CONTENT),
                "research", 365, Set.of(), Map.of());
        for (int i = 0; i < 30; i++) {
            DeidentifiedObjects.transform(file, d -> engine.deidentify(d, research).released()).orElseThrow();
        }
        long[] nanos = new long[200];
        for (int i = 0; i < nanos.length; i++) {
            long start = System.nanoTime();
            DeidentifiedObjects.transform(file, d -> engine.deidentify(d, research).released()).orElseThrow();
            nanos[i] = System.nanoTime() - start;
        }
        Arrays.sort(nanos);
        double medianMs = nanos[nanos.length / 2] / 1e6;
        System.out.printf("deid cost: CT-sized instance (%d bytes), research profile, median of %d runs: %.2f ms (p90 %.2f ms)%n",
                Files.size(file), nanos.length, medianMs, nanos[nanos.length * 9 / 10] / 1e6);
        assertThat(medianMs).isLessThan(1000);
    }
}
