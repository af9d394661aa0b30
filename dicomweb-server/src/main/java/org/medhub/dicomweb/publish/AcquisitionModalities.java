package org.medhub.dicomweb.publish;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * DICOM CID 29 "Acquisition Modality", kept as data ({@value #TABLE}). FHIR R4 binds study-level
 * {@code ImagingStudy.modality} to it: a study lists the modalities that acquired it, not the
 * derived objects it also holds (a segmentation, an RT plan or dose, a report, "OT"), which keep
 * their code on the series.
 */
final class AcquisitionModalities {

    static final String TABLE = "/publish/dicom-cid29-acquisition-modality.csv";

    private static final Map<String, String> MEANINGS = load();

    private AcquisitionModalities() {}

    /** Whether CID 29 lists the code (a DICOM Modality value, case as written by the standard). */
    static boolean isAcquisition(String modality) {
        return MEANINGS.containsKey(modality);
    }

    /** The code's meaning in CID 29 (the Coding's display), or null when it is not listed. */
    static String meaning(String modality) {
        return MEANINGS.get(modality);
    }

    static int size() {
        return MEANINGS.size();
    }

    private static Map<String, String> load() {
        Map<String, String> meanings = new LinkedHashMap<>();
        try (InputStream in = AcquisitionModalities.class.getResourceAsStream(TABLE)) {
            if (in == null) {
                throw new IllegalStateException(TABLE + " missing from the class path");
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String line;
            boolean header = true;
            while ((line = reader.readLine()) != null) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                if (header) {
                    header = false; // code,meaning
                    continue;
                }
                int comma = line.indexOf(',');
                meanings.put(line.substring(0, comma).strip(), line.substring(comma + 1).strip());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.copyOf(meanings);
    }
}
