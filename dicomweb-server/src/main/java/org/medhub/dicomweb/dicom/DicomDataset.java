package org.medhub.dicomweb.dicom;

import java.util.List;

/**
 * One level of a DICOM data set as the de-identification engine sees it, independent of the DICOM
 * toolkit: PixelMed's AttributeList behind it for whole objects ({@code PixelmedDataset}), the
 * PS3.18 JSON model for index results and metadata ({@code deid.JsonDataset}). It lives here, with the
 * toolkit, so that {@code deid} uses {@code dicom} and never the other way round. Tags are {@code (group << 16) | element}.
 */
public interface DicomDataset {

    /** The tags present at this level (a snapshot: changing the data set does not change it). */
    List<Integer> tags();

    /** The value representation of a present attribute, e.g. {@code PN}, {@code SQ}. */
    String vr(int tag);

    /** The values of a present non-sequence attribute as strings (empty for zero length or binary values). */
    List<String> strings(int tag);

    /** Replaces (or creates) a non-sequence attribute; no values means zero length. */
    void put(int tag, String vr, List<String> values);

    void remove(int tag);

    /** The items of a sequence attribute, each a data set of its own. */
    List<DicomDataset> items(int tag);

    /** Replaces (or creates) a sequence attribute with this many new empty items, returned in order. */
    List<DicomDataset> putSequence(int tag, int itemCount);

    /** The Private Creator of the block of a private data element, or null when unknown. */
    String privateCreator(int tag);

    /**
     * Sets the given rectangles of every frame of native pixel data to zero (black). Returns false
     * when the pixel data cannot be changed (compressed, or not present at this level).
     */
    boolean blankPixels(List<PixelRegion> regions);
}
