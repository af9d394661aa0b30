package org.medhub.dicomweb.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Set;
import org.medhub.dicomweb.index.DicomIndex;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * The start-up repair of store and index (ARCHITECTURE.md: no index row without its file, no stored
 * file invisible forever): what a crash between storing a file and indexing it, or a lost file, left
 * behind. A step of start-up of its own, run once before the web server takes requests and before
 * the FHIR publisher reads the change feed: its lifecycle phase is below both (Boot starts the web
 * server at {@code DEFAULT_PHASE - 2048}, the publisher runs at {@code DEFAULT_PHASE}).
 */
public final class StoreReconciliation implements SmartLifecycle {

    /** Below Boot's WebServerStartStopLifecycle ({@code DEFAULT_PHASE - 2048}): done before serving. */
    static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

    private static final Logger log = LoggerFactory.getLogger(StoreReconciliation.class);

    private final DicomIndex index;
    private final DicomStorage storage;
    private volatile boolean done;

    public StoreReconciliation(DicomIndex index, DicomStorage storage) {
        this.index = index;
        this.storage = storage;
    }

    @Override
    public void start() {
        long started = System.nanoTime();
        try {
            reconcile();
        } catch (IOException e) {
            // A store that cannot be listed cannot be served consistently: start-up fails here.
            throw new UncheckedIOException("DICOM store and index could not be reconciled at start-up", e);
        }
        log.info("DICOM store and index reconciled in {} ms", (System.nanoTime() - started) / 1_000_000);
        done = true;
    }

    /**
     * Files no index row points to are removed, index rows whose file is gone are dropped.
     */
    public void reconcile() throws IOException {
        Set<String> stored = storage.keys();
        Set<String> indexed = index.storageKeys();
        int orphans = 0;
        for (String key : stored) {
            if (!indexed.contains(key)) {
                storage.delete(key);
                orphans++;
            }
        }
        int missing = 0;
        for (String key : indexed) {
            if (!stored.contains(key)) {
                index.dropRowsOf(key);
                missing++;
            }
        }
        if (orphans > 0 || missing > 0) {
            log.warn("DICOM store repaired: {} unindexed file(s) removed, {} index row(s) without file dropped",
                    orphans, missing);
        }
    }

    @Override
    public void stop() {
        done = false; // nothing to stop: the repair is one step of start-up
    }

    @Override
    public boolean isRunning() {
        return done;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }
}
