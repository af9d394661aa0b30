package org.medhub.dicomweb.qido;

/** The QIDO-RS query levels, outermost first. */
enum QueryLevel {
    STUDY,
    SERIES,
    INSTANCE;

    boolean includes(QueryLevel other) {
        return other.ordinal() <= ordinal();
    }
}
