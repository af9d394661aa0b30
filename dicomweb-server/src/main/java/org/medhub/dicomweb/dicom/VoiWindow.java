package org.medhub.dicomweb.dicom;

import java.util.Locale;

/**
 * A value-of-interest window (PS3.3 C.11.2.1.2) that maps modality values to display values.
 *
 * @param center Window Center, in modality units (after Rescale Slope/Intercept)
 * @param width Window Width, at least 1
 * @param function how values inside the window are mapped
 */
public record VoiWindow(double center, double width, Function function) {

    public VoiWindow {
        if (!(width >= 1) || !Double.isFinite(center) || !Double.isFinite(width)) {
            throw new IllegalArgumentException("window width must be at least 1 and both values finite");
        }
    }

    /** The VOI LUT Functions of PS3.3 C.11.2.1.3, as named there and in PS3.18's {@code window} parameter. */
    public enum Function {
        LINEAR, LINEAR_EXACT, SIGMOID;

        /** {@code linear}, {@code linear-exact} / {@code LINEAR_EXACT}, {@code sigmoid}, any case. */
        public static Function of(String name) {
            try {
                return valueOf(name.strip().toUpperCase(Locale.ROOT).replace('-', '_'));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown window function '" + name + "' (linear, linear-exact, sigmoid)");
            }
        }
    }

    /** The display value 0..255 of a modality value, by the formulas of PS3.3 C.11.2.1.2 and C.11.2.1.3. */
    int apply(double value) {
        double fraction = switch (function) {
            case LINEAR -> {
                double low = center - 0.5 - (width - 1) / 2;
                double high = center - 0.5 + (width - 1) / 2;
                yield value <= low ? 0 : value > high ? 1 : width == 1 ? 1 : (value - (center - 0.5)) / (width - 1) + 0.5;
            }
            case LINEAR_EXACT -> value <= center - width / 2 ? 0 : value > center + width / 2 ? 1 : (value - center) / width + 0.5;
            case SIGMOID -> 1 / (1 + Math.exp(-4 * (value - center) / width));
        };
        return (int) Math.round(Math.max(0, Math.min(1, fraction)) * 255);
    }
}
