package org.medhub.dicomweb.changefeed;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.medhub.dicomweb.index.DicomIndex;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Reads the change feed the index writes (see {@code DicomIndex}), and keeps the checkpoints of
 * its consumers.
 */
public final class ChangeFeed {

    private final JdbcTemplate jdbc;

    public ChangeFeed(DicomIndex index) {
        this.jdbc = index.jdbc();
    }

    /**
     * Entries after sequence {@code after}, oldest first, optionally within [{@code start}, {@code end}).
     */
    public List<ChangeFeedEntry> page(long after, Instant start, Instant end, int limit) {
        StringBuilder sql = new StringBuilder(ChangeFeedEntry.SELECT).append(" WHERE sequence > ?");
        List<Object> args = new ArrayList<>(List.of(after));
        if (start != null) {
            sql.append(" AND occurred_at >= ?");
            args.add(Timestamp.from(start));
        }
        if (end != null) {
            sql.append(" AND occurred_at < ?");
            args.add(Timestamp.from(end));
        }
        sql.append(" ORDER BY sequence LIMIT ?");
        args.add(limit);
        return jdbc.query(sql.toString(), ChangeFeedEntry.ROW_MAPPER, args.toArray());
    }

    /** The newest entry, if the feed has any. */
    public Optional<ChangeFeedEntry> latest() {
        return jdbc.query(ChangeFeedEntry.SELECT + " ORDER BY sequence DESC LIMIT 1", ChangeFeedEntry.ROW_MAPPER)
                .stream().findFirst();
    }

    /** The last sequence {@code consumer} has fully processed; 0 before its first. */
    public long checkpoint(String consumer) {
        return jdbc.queryForList("SELECT sequence FROM change_feed_checkpoint WHERE consumer = ?", Long.class, consumer)
                .stream().findFirst().orElse(0L);
    }

    public void advance(String consumer, long sequence) {
        jdbc.update("""
                INSERT INTO change_feed_checkpoint (consumer, sequence) VALUES (?, ?)
                ON CONFLICT (consumer) DO UPDATE SET sequence = excluded.sequence, updated_at = now()
                """, consumer, sequence);
    }
}
