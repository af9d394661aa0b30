package org.medhub.dicomweb.deid;

import java.util.Map;
import java.util.Set;

/**
 * A named de-identification profile: the Basic Profile, the options it adds, and the site's
 * overrides of single attributes. Loaded from {@code config/deid/<name>.yaml} by {@link DeidProfiles}.
 *
 * @param project namespace of the pseudonyms: profiles of the same project give the same patient
 *     the same pseudonym and the same study the same UID
 * @param maxDateShiftDays dates move back by 1 to this many days, per patient (Modified Dates option)
 * @param safePrivate with Retain Safe Private, the private attributes kept: Private Creator and the
 *     element's low byte, e.g. {@code "GEMS_ACQU_01/10"}
 * @param overrides action per tag that replaces what the table and options say
 */
public record DeidProfile(
        String name,
        String description,
        Set<DeidOption> options,
        String project,
        int maxDateShiftDays,
        Set<String> safePrivate,
        Map<Integer, ActionCode> overrides) {

    public DeidProfile {
        options = Set.copyOf(options);
        safePrivate = Set.copyOf(safePrivate);
        overrides = Map.copyOf(overrides);
        if (options.contains(DeidOption.RETAIN_LONGITUDINAL_FULL_DATES)
                && options.contains(DeidOption.RETAIN_LONGITUDINAL_MODIFIED_DATES)) {
            throw new IllegalArgumentException("profile " + name + ": full dates and modified dates exclude each other");
        }
        if (maxDateShiftDays < 1) {
            throw new IllegalArgumentException("profile " + name + ": date-shift-max-days must be at least 1");
        }
    }

    public boolean has(DeidOption option) {
        return options.contains(option);
    }

    /**
     * What this profile does with an attribute of the table: the site's override, else the action of
     * an option the profile has (an option that keeps wins over one that cleans, which wins over the
     * rest, since options exist to retain information), else the Basic Profile's.
     */
    public ActionCode actionFor(int tag, AttributeTable.Row row) {
        ActionCode override = overrides.get(tag);
        if (override != null) {
            return override;
        }
        ActionCode chosen = null;
        for (Map.Entry<DeidOption, ActionCode> entry : row.options().entrySet()) {
            if (has(entry.getKey()) && (chosen == null || rank(entry.getValue()) > rank(chosen))) {
                chosen = entry.getValue();
            }
        }
        return chosen != null ? chosen : row.basic();
    }

    private static int rank(ActionCode code) {
        return switch (code.resolved()) {
            case K -> 2;
            case C -> 1;
            default -> 0;
        };
    }

    /** Whether a private data element is on the profile's safe list (only with Retain Safe Private). */
    boolean isSafePrivate(String creator, int tag) {
        return has(DeidOption.RETAIN_SAFE_PRIVATE) && creator != null
                && safePrivate.contains(creator.strip() + "/" + String.format("%02X", tag & 0xFF));
    }
}
