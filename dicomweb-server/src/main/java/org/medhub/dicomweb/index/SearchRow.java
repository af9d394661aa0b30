package org.medhub.dicomweb.index;

import java.sql.SQLException;
import java.util.List;

/** One row of a search of the index ({@link DicomIndex#search}), its columns read by label. */
@FunctionalInterface
public interface SearchRow {

    /** The column's value as text, or null. */
    String text(String column) throws SQLException;

    /** Makes one result of a row. */
    @FunctionalInterface
    interface Reader<T> {
        T read(SearchRow row) throws SQLException;
    }

    /**
     * The results of one page of a search.
     *
     * @param more whether the search matched rows beyond the page
     */
    record Page<T>(List<T> results, boolean more) {

        public Page {
            results = List.copyOf(results);
        }
    }
}
