package org.medhub.cli.train;

import java.nio.file.Path;
import java.util.Locale;

/** The model name a CSV upload trains when {@code --model} is not given. */
final class ModelName {

    private ModelName() {}

    /**
     * The file's name without {@code .csv}, in lower case, with underscores, spaces and dots as
     * hyphens and anything else outside {@code [a-z0-9-]} dropped: {@code Heart_Study.v2.csv} trains
     * {@code heart-study-v2}.
     */
    static String fromCsv(Path csv) {
        String name = csv.getFileName().toString();
        if (name.endsWith(".csv") && name.length() > ".csv".length()) {
            name = name.substring(0, name.length() - ".csv".length());
        }
        return name.toLowerCase(Locale.ROOT).replaceAll("[_ .]", "-").replaceAll("[^a-z0-9-]", "");
    }
}
