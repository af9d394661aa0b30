package org.medhub.ml.prepare;

import java.util.List;
import org.medhub.ml.dataset.ColumnType;

/**
 * One input of a model as the schema records it.
 *
 * @param center the training mean a numeric value is shifted by (and missing values imputed with)
 * @param scale the training standard deviation it is divided by (1 when the column is constant)
 * @param min lowest value accepted at prediction
 * @param max highest value accepted at prediction
 * @param categories the values a categorical input may take, in encoding order
 * @param nullable whether the training data had missing values, so an explicit {@code null} is accepted
 */
public record Feature(
        String name, ColumnType type, double center, double scale, double min, double max, List<String> categories,
        boolean nullable) {

    public Feature {
        categories = categories == null ? List.of() : List.copyOf(categories);
    }

    /** The encoded (model) feature name of a category: {@code name=value}. */
    public String oneHotName(String category) {
        return name + "=" + category;
    }

    /** The names this input becomes after encoding. */
    public List<String> encodedNames() {
        return type == ColumnType.NUMERIC ? List.of(name) : categories.stream().map(this::oneHotName).toList();
    }
}
