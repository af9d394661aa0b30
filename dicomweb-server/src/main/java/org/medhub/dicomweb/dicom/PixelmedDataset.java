package org.medhub.dicomweb.dicom;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeFactory;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.OtherByteAttribute;
import com.pixelmed.dicom.OtherWordAttribute;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.SpecificCharacterSet;
import com.pixelmed.dicom.TagFromName;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/** The de-identification engine's view of one level of a PixelMed AttributeList (adapter: no logic of its own). */
final class PixelmedDataset implements DicomDataset {

    private static final Set<String> BINARY_VRS = Set.of("OB", "OD", "OF", "OL", "OV", "OW", "UN");

    private final AttributeList list;
    private final SpecificCharacterSet characterSet;
    private final boolean topLevel;

    PixelmedDataset(AttributeList list, SpecificCharacterSet characterSet, boolean topLevel) {
        this.list = list;
        this.characterSet = characterSet;
        this.topLevel = topLevel;
    }

    static AttributeTag tag(int tag) {
        return new AttributeTag(tag >>> 16, tag & 0xFFFF);
    }

    @Override
    public List<Integer> tags() {
        List<Integer> tags = new ArrayList<>(list.size());
        for (AttributeTag tag : list.keySet()) {
            tags.add((tag.getGroup() << 16) | tag.getElement());
        }
        return tags;
    }

    @Override
    public String vr(int tag) {
        Attribute attribute = list.get(tag(tag));
        return attribute == null ? null : attribute.getVRAsString();
    }

    @Override
    public List<String> strings(int tag) {
        Attribute attribute = list.get(tag(tag));
        if (attribute == null || attribute instanceof SequenceAttribute || BINARY_VRS.contains(attribute.getVRAsString())) {
            return List.of();
        }
        try {
            String[] values = attribute.getStringValues();
            return values == null ? List.of() : Arrays.stream(values).map(v -> v == null ? "" : v).toList();
        } catch (DicomException e) {
            return List.of();
        }
    }

    @Override
    public void put(int tag, String vr, List<String> values) {
        try {
            Attribute attribute = AttributeFactory.newAttribute(tag(tag), vr.getBytes(StandardCharsets.US_ASCII), characterSet);
            for (String value : values) {
                attribute.addValue(value);
            }
            list.put(attribute);
        } catch (DicomException e) {
            throw new IllegalArgumentException("cannot set " + tag(tag) + " (" + vr + "): " + e.getMessage(), e);
        }
    }

    @Override
    public void remove(int tag) {
        list.remove(tag(tag));
    }

    @Override
    public List<DicomDataset> items(int tag) {
        if (!(list.get(tag(tag)) instanceof SequenceAttribute sequence)) {
            return List.of();
        }
        List<DicomDataset> items = new ArrayList<>(sequence.getNumberOfItems());
        for (int i = 0; i < sequence.getNumberOfItems(); i++) {
            items.add(new PixelmedDataset(sequence.getItem(i).getAttributeList(), characterSet, false));
        }
        return items;
    }

    @Override
    public List<DicomDataset> putSequence(int tag, int itemCount) {
        SequenceAttribute sequence = new SequenceAttribute(tag(tag));
        List<DicomDataset> items = new ArrayList<>(itemCount);
        for (int i = 0; i < itemCount; i++) {
            AttributeList item = new AttributeList();
            sequence.addItem(item);
            items.add(new PixelmedDataset(item, characterSet, false));
        }
        list.put(sequence);
        return items;
    }

    @Override
    public String privateCreator(int tag) {
        return list.getPrivateCreatorString(tag(tag));
    }

    /** Native pixel data only: 8 bits in OB, 16 bits in OW, either planar configuration. */
    @Override
    public boolean blankPixels(List<PixelRegion> regions) {
        Attribute pixels = topLevel ? list.getPixelData() : null;
        int rows = Attribute.getSingleIntegerValueOrDefault(list, TagFromName.Rows, 0);
        int columns = Attribute.getSingleIntegerValueOrDefault(list, TagFromName.Columns, 0);
        int samples = Math.max(1, Attribute.getSingleIntegerValueOrDefault(list, TagFromName.SamplesPerPixel, 1));
        int bits = Attribute.getSingleIntegerValueOrDefault(list, TagFromName.BitsAllocated, 0);
        boolean planar = Attribute.getSingleIntegerValueOrDefault(list, TagFromName.PlanarConfiguration, 0) == 1;
        if (pixels == null || rows == 0 || columns == 0) {
            return false;
        }
        try {
            Blanker blanker = new Blanker(rows, columns, samples, planar);
            if (pixels instanceof OtherWordAttribute words && (bits == 16 || bits == 8)) {
                short[] values = words.getShortValues();
                if (bits == 16) {
                    blanker.blank(regions, values.length, i -> values[i] = 0);
                } else { // two 8-bit samples per little-endian word
                    blanker.blank(regions, values.length * 2, i -> values[i >> 1] &= (short) ((i & 1) == 0 ? 0xFF00 : 0x00FF));
                }
                words.setValues(values);
                return true;
            }
            if (pixels instanceof OtherByteAttribute bytes && bits == 8) {
                byte[] values = bytes.getByteValues();
                blanker.blank(regions, values.length, i -> values[i] = 0);
                bytes.setValues(values);
                return true;
            }
            return false; // encapsulated (compressed) or unusual layouts cannot be changed in place
        } catch (DicomException e) {
            return false;
        }
    }

    /** Sample indexes of rectangles in every frame. */
    private record Blanker(int rows, int columns, int samples, boolean planar) {

        interface Sink {
            void zero(int index);
        }

        void blank(List<PixelRegion> regions, int length, Sink sink) {
            int frameSize = rows * columns * samples;
            for (int frameStart = 0; frameStart + frameSize <= length; frameStart += frameSize) {
                for (PixelRegion region : regions) {
                    for (int y = region.y(); y < Math.min(rows, region.y() + region.height()); y++) {
                        for (int x = region.x(); x < Math.min(columns, region.x() + region.width()); x++) {
                            for (int s = 0; s < samples; s++) {
                                sink.zero(frameStart + (planar ? s * rows * columns + y * columns + x : (y * columns + x) * samples + s));
                            }
                        }
                    }
                }
            }
        }
    }
}
