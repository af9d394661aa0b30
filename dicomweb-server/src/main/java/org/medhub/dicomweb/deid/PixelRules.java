package org.medhub.dicomweb.deid;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.medhub.dicomweb.dicom.PixelRegion;

/**
 * Where burned-in text sits on the images of known devices (Clean Pixel Data, PS3.15 E.3.1), as
 * sites keep such rules today: by modality, manufacturer, model and image size, each with the
 * rectangles to blank. Loaded from {@code config/deid/pixel-rules.yaml}.
 *
 * @param assumeCleanModalities modalities whose images without BurnedInAnnotation are taken as
 *     having none (cross-sectional reconstructions); any other image without it, or with YES, needs
 *     a rule or is withheld
 */
public record PixelRules(List<Rule> rules, Set<String> assumeCleanModalities) {

    public PixelRules {
        rules = List.copyOf(rules);
        assumeCleanModalities = Set.copyOf(assumeCleanModalities);
    }

    static PixelRules none() {
        return new PixelRules(List.of(), Set.of());
    }

    /** The first rule that covers an image with these attributes. */
    public Optional<Rule> find(String modality, String manufacturer, String model, Integer rows, Integer columns) {
        return rules.stream().filter(r -> r.covers(modality, manufacturer, model, rows, columns)).findFirst();
    }

    /** Null criteria match anything; text criteria match without regard to case or padding. */
    public record Rule(String name, String modality, String manufacturer, String model, Integer rows, Integer columns,
            List<PixelRegion> regions) {

        public Rule {
            regions = List.copyOf(regions);
            if (regions.isEmpty()) {
                throw new IllegalArgumentException("pixel rule " + name + " blanks no region");
            }
        }

        boolean covers(String modality, String manufacturer, String model, Integer rows, Integer columns) {
            return same(this.modality, modality) && same(this.manufacturer, manufacturer) && same(this.model, model)
                    && (this.rows == null || this.rows.equals(rows)) && (this.columns == null || this.columns.equals(columns));
        }

        private static boolean same(String wanted, String actual) {
            return wanted == null
                    || (actual != null && wanted.strip().toUpperCase(Locale.ROOT).equals(actual.strip().toUpperCase(Locale.ROOT)));
        }
    }
}
