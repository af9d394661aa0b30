package org.medhub.dicomweb.changefeed;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import org.springframework.jdbc.core.RowMapper;

/**
 * One row of the change feed, in the JSON shape clients see (Azure DICOM's field names, so that
 * tools written for its change feed read ours).
 *
 * @param action {@code create}, {@code update} (the instance was replaced) or {@code delete}
 * @param state what the instance is now: {@code current}, {@code replaced} or {@code deleted}
 */
public record ChangeFeedEntry(
        @JsonProperty("Sequence") long sequence,
        @JsonProperty("Timestamp") Instant timestamp,
        @JsonProperty("Action") String action,
        @JsonProperty("StudyInstanceUid") String studyUid,
        @JsonProperty("SeriesInstanceUid") String seriesUid,
        @JsonProperty("SopInstanceUid") String sopInstanceUid,
        @JsonProperty("State") String state) {

    static final String SELECT = "SELECT sequence, occurred_at, action, study_uid, series_uid, sop_instance_uid, state"
            + " FROM change_feed";

    static final RowMapper<ChangeFeedEntry> ROW_MAPPER = (row, n) -> new ChangeFeedEntry(
            row.getLong(1),
            row.getTimestamp(2).toInstant(),
            row.getString(3),
            row.getString(4),
            row.getString(5),
            row.getString(6),
            row.getString(7));
}
