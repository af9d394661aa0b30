package org.medhub.ml.jobs;

/** A job refused because as many as the setting allows are already waiting; answered 503 with Retry-After. */
public final class QueueFullException extends RuntimeException {

    private final String setting;
    private final int limit;

    public QueueFullException(String what, String setting, int limit) {
        super(what + ": " + limit + " are already waiting (" + setting + "); try again when one has started");
        this.setting = setting;
        this.limit = limit;
    }

    public String setting() {
        return setting;
    }

    public int limit() {
        return limit;
    }
}
