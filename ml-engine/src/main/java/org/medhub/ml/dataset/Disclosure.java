package org.medhub.ml.dataset;

import java.util.List;

/**
 * How exact the counts and ranges of an answer are for its caller (issue 13, item 10: exact counts of
 * narrow cohorts let a researcher learn one patient's data by differencing two pulls).
 *
 * @param exact whether the values are exact (admins); otherwise the rules below apply
 * @param minCellSize counts from 1 to this minus one are withheld ({@code null}), and so are the ranges and
 *     rates of groups that small ({@code medhub.ml.min-cell-size})
 * @param roundedTo every other count is rounded to a multiple of this, never below {@code minCellSize}
 *     ({@code medhub.ml.count-rounding}); zero stays zero
 * @param withheld the fields withheld from this answer, by JSON path
 */
public record Disclosure(boolean exact, int minCellSize, int roundedTo, List<String> withheld) {

    public Disclosure {
        withheld = List.copyOf(withheld);
    }
}
