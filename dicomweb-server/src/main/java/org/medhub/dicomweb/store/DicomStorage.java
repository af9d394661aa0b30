package org.medhub.dicomweb.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Set;

/**
 * Where stored DICOM objects live. Objects are content-addressed: the key is derived from the
 * SHA-256 of the bytes, so storing the same object twice finds it in place and a replaced object
 * never overwrites the file a reader may be streaming.
 *
 * <p>Writing is two-step: {@link #stage} copies an upload into a private temporary file (so the
 * upload never needs to fit in memory), {@link #commit} makes it durable under its key. The index
 * row is written only after {@code commit}, so a crash can leave a file without an index row (found
 * and removed by {@link #keys()} against the index at start-up) but never an index row without its
 * file.
 */
public interface DicomStorage {

    /** Copies {@code content} to a temporary file of this store, hashing it on the way. */
    Staged stage(InputStream content) throws IOException;

    /** Makes a staged object durable under its key (atomic: the key holds all of it or nothing). */
    String commit(Staged staged) throws IOException;

    /** Opens a committed object. */
    InputStream open(String key) throws IOException;

    /** A local file holding a committed object, for libraries that read files. */
    Path file(String key) throws IOException;

    long size(String key) throws IOException;

    /** Removes a committed object; nothing happens if it is not there. */
    void delete(String key) throws IOException;

    /** Every committed key. */
    Set<String> keys() throws IOException;

    /** Bytes still free for this store's files (staged and committed), for the free-disk limit. */
    long usableSpace() throws IOException;

    /**
     * An upload copied to a temporary file, not yet committed; {@link #close()} removes the file
     * unless it was committed.
     *
     * @param file the temporary file, readable until closed
     * @param sha256 lower-case hex SHA-256 of the content
     * @param size bytes
     */
    record Staged(Path file, String sha256, long size) implements AutoCloseable {

        @Override
        public void close() throws IOException {
            java.nio.file.Files.deleteIfExists(file);
        }
    }
}
