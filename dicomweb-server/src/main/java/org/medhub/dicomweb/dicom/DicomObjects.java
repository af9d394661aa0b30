package org.medhub.dicomweb.dicom;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.DicomInputStream;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.SequenceItem;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TransferSyntax;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every use of PixelMed in MedHub: reading stored objects for the index, writing their attributes
 * in the PS3.18 Annex F JSON model, and taking frames out of native pixel data.
 */
public final class DicomObjects {

    /** Binary values longer than this are given as BulkDataURI rather than inline (PS3.18 F.2.6). */
    static final int BULK_THRESHOLD = 1024;

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Pattern UID = Pattern.compile("[0-9]+(\\.[0-9]+)*");
    private static final Pattern HEX_PAIR = Pattern.compile("0x([0-9a-fA-F]{4}),0x([0-9a-fA-F]{4})");
    private static final Set<String> BINARY_VRS = Set.of("OB", "OD", "OF", "OL", "OV", "OW", "UN");
    private static final String DIRECTORY_SOP_CLASS = "1.2.840.10008.1.3.10";

    private DicomObjects() {}

    /**
     * Reads a PS3.10 file up to its pixel data and checks what storing it requires: File Meta
     * Information with a transfer syntax, SOP Class and SOP Instance UIDs, study and series UIDs.
     *
     * @throws DicomFormatException when the file cannot be read as DICOM or lacks one of those
     * @throws UnsupportedSopClassException when it is a DICOM object but not a storable instance
     */
    public static ParsedInstance parse(Path file) throws DicomFormatException, UnsupportedSopClassException {
        AttributeList list = readUpToPixelData(file);
        String transferSyntax = string(list, TagFromName.TransferSyntaxUID);
        String mediaSopClass = string(list, TagFromName.MediaStorageSOPClassUID);
        String sopClass = string(list, TagFromName.SOPClassUID);
        if (DIRECTORY_SOP_CLASS.equals(mediaSopClass) || DIRECTORY_SOP_CLASS.equals(sopClass)) {
            throw new UnsupportedSopClassException("a DICOMDIR (Media Storage Directory) is not a storable instance");
        }
        if (transferSyntax == null) {
            throw new DicomFormatException("not a PS3.10 file: File Meta Information with TransferSyntaxUID missing");
        }
        if (!new TransferSyntax(transferSyntax).isRecognized()) {
            throw new UnsupportedSopClassException("transfer syntax " + transferSyntax + " is not supported");
        }
        String sopInstance = requiredUid(list, TagFromName.SOPInstanceUID, "SOPInstanceUID");
        if (sopClass == null) {
            throw new DicomFormatException("SOPClassUID (0008,0016) missing");
        }
        requireUidSyntax(sopClass, "SOPClassUID");
        String study = requiredUid(list, TagFromName.StudyInstanceUID, "StudyInstanceUID");
        String series = requiredUid(list, TagFromName.SeriesInstanceUID, "SeriesInstanceUID");
        return new ParsedInstance(
                study,
                series,
                sopInstance,
                sopClass,
                transferSyntax,
                string(list, TagFromName.PatientID),
                string(list, TagFromName.IssuerOfPatientID),
                string(list, TagFromName.PatientName),
                string(list, TagFromName.PatientBirthDate),
                string(list, TagFromName.PatientSex),
                string(list, TagFromName.StudyDate),
                string(list, TagFromName.StudyTime),
                string(list, TagFromName.AccessionNumber),
                issuerOfAccessionNumber(list),
                string(list, TagFromName.StudyID),
                string(list, TagFromName.StudyDescription),
                string(list, TagFromName.ReferringPhysicianName),
                string(list, TagFromName.Modality),
                string(list, TagFromName.SeriesNumber),
                string(list, TagFromName.SeriesDescription),
                string(list, TagFromName.SeriesDate),
                string(list, TagFromName.SeriesTime),
                string(list, TagFromName.PerformedProcedureStepStartDate),
                string(list, TagFromName.PerformedProcedureStepStartTime),
                string(list, TagFromName.InstanceNumber),
                integer(list, TagFromName.Rows),
                integer(list, TagFromName.Columns),
                integer(list, TagFromName.NumberOfFrames),
                integer(list, TagFromName.BitsAllocated),
                indexAttributes(list).toString());
    }

    private static final AttributeTag LOCAL_NAMESPACE_ENTITY_ID = new AttributeTag(0x0040, 0x0031);
    private static final AttributeTag UNIVERSAL_ENTITY_ID = new AttributeTag(0x0040, 0x0032);
    private static final AttributeTag UNIVERSAL_ENTITY_ID_TYPE = new AttributeTag(0x0040, 0x0033);

    /** See {@link ParsedInstance#issuerOfAccessionNumber()}; null when the object names no issuer. */
    private static String issuerOfAccessionNumber(AttributeList list) {
        if (!(list.get(TagFromName.IssuerOfAccessionNumberSequence) instanceof SequenceAttribute sequence)
                || sequence.getNumberOfItems() == 0) {
            return null;
        }
        AttributeList item = sequence.getItem(0).getAttributeList();
        String universal = string(item, UNIVERSAL_ENTITY_ID);
        String type = string(item, UNIVERSAL_ENTITY_ID_TYPE);
        if (universal != null && type != null) {
            switch (type.toUpperCase(Locale.ROOT)) {
                case "ISO":
                    if (UID.matcher(universal).matches()) {
                        return "urn:oid:" + universal;
                    }
                    break;
                case "UUID":
                    return "urn:uuid:" + universal.toLowerCase(Locale.ROOT);
                case "URI":
                    return universal;
                default:
                    break;
            }
        }
        String local = string(item, LOCAL_NAMESPACE_ENTITY_ID);
        return local != null ? local : universal;
    }

    /**
     * The instance's metadata in the PS3.18 JSON model (one dataset object), File Meta Information
     * left out, binary values above {@value #BULK_THRESHOLD} bytes and the pixel data as BulkDataURIs
     * under {@code bulkDataBase} (e.g. {@code .../instances/1.2.3/bulkdata}) followed by the tag.
     */
    public static ObjectNode metadata(Path file, String bulkDataBase) throws IOException {
        Header header;
        try {
            header = header(file);
        } catch (DicomFormatException e) {
            throw new IOException("stored object no longer readable: " + file, e);
        }
        AttributeList list = header.attributes();
        ObjectNode dataset = dataset(list, bulkDataBase, true);
        Integer bitsAllocated = integer(list, TagFromName.BitsAllocated);
        // Only pixel data that is there: an object with the Image Pixel attributes but no Pixel Data
        // (e.g. a CR whose pixels were stripped) must not offer a BulkDataURI its frames cannot answer.
        if (header.pixelDataFollows()) {
            String syntax = string(list, TagFromName.TransferSyntaxUID);
            boolean encapsulated = syntax != null && new TransferSyntax(syntax).isEncapsulated();
            ObjectNode pixels = dataset.putObject("7FE00010");
            pixels.put("vr", encapsulated || (bitsAllocated != null && bitsAllocated <= 8) ? "OB" : "OW");
            pixels.put("BulkDataURI", bulkDataBase + "/7FE00010");
        }
        return dataset;
    }

    /**
     * The value of a top-level binary attribute (or the native pixel data) as little-endian bytes, or
     * null when the object has no such binary attribute.
     */
    public static byte[] bulkData(Path file, int tag) throws IOException {
        if (tag == 0x7FE00010 && isEncapsulated(readHeader(file))) {
            throw new UnsupportedOperationException("compressed pixel data is served per frame only");
        }
        AttributeList list = readAll(file);
        Attribute attribute = list == null ? null : list.get(new AttributeTag(tag >>> 16, tag & 0xFFFF));
        if (attribute == null || !BINARY_VRS.contains(attribute.getVRAsString())) {
            return null;
        }
        return attribute.getTag().equals(TagFromName.PixelData) ? pixelBytes(list, attribute) : littleEndianBytes(attribute);
    }

    /**
     * Uncompressed frames (1-based numbers) of an object with native pixel data, each as the raw
     * little-endian pixel bytes of PS3.18 8.7.3.
     *
     * @throws UnsupportedOperationException if the pixel data is compressed in a syntax PixelMed cannot decode
     * @throws IndexOutOfBoundsException if a frame number does not exist
     */
    public static byte[][] frames(Path file, int[] numbers) throws IOException {
        AttributeList list = isEncapsulated(readHeader(file)) ? Transcoding.decoded(file) : readAll(file);
        Attribute pixels = list == null ? null : list.getPixelData();
        if (pixels == null) {
            throw new IndexOutOfBoundsException("the instance has no readable pixel data");
        }
        int rows = orZero(integer(list, TagFromName.Rows));
        int columns = orZero(integer(list, TagFromName.Columns));
        int samples = Math.max(1, orZero(integer(list, TagFromName.SamplesPerPixel)));
        int bits = orZero(integer(list, TagFromName.BitsAllocated));
        int count = Math.max(1, orZero(integer(list, TagFromName.NumberOfFrames)));
        long frameBits = (long) rows * columns * samples * bits;
        if (frameBits % 8 != 0) {
            throw new UnsupportedOperationException("frames not aligned on bytes (BitsAllocated " + bits + ")");
        }
        int frameLength = Math.toIntExact(frameBits / 8);
        byte[] all = pixelBytes(list, pixels);
        byte[][] result = new byte[numbers.length][];
        for (int i = 0; i < numbers.length; i++) {
            int number = numbers[i];
            if (number < 1 || number > count || (long) number * frameLength > all.length) {
                throw new IndexOutOfBoundsException("frame " + number + " does not exist (the instance has " + count + ")");
            }
            byte[] frame = new byte[frameLength];
            System.arraycopy(all, (number - 1) * frameLength, frame, 0, frameLength);
            result[i] = frame;
        }
        return result;
    }

    /** Native pixel data as little-endian bytes, whole samples of every size in little-endian order. */
    static byte[] pixelBytes(AttributeList list, Attribute pixels) throws IOException {
        byte[] bytes = littleEndianBytes(pixels);
        if (orZero(integer(list, TagFromName.BitsAllocated)) == 32 && "OW".equals(pixels.getVRAsString()) && isBigEndian(list)) {
            swapWordsOfLongs(bytes);
        }
        return bytes;
    }

    private static boolean isBigEndian(AttributeList list) {
        String syntax = string(list, TagFromName.TransferSyntaxUID);
        return syntax != null && new TransferSyntax(syntax).isBigEndian();
    }

    /**
     * 32-bit samples in big-endian OW come out of {@link #littleEndianBytes} as two little-endian
     * words in big-endian order; little-endian samples need the words the other way round.
     */
    private static void swapWordsOfLongs(byte[] bytes) {
        for (int i = 0; i + 3 < bytes.length; i += 4) {
            byte first = bytes[i];
            byte second = bytes[i + 1];
            bytes[i] = bytes[i + 2];
            bytes[i + 1] = bytes[i + 3];
            bytes[i + 2] = first;
            bytes[i + 3] = second;
        }
    }

    private static boolean isEncapsulated(AttributeList list) {
        String syntax = string(list, TagFromName.TransferSyntaxUID);
        return syntax != null && new TransferSyntax(syntax).isEncapsulated();
    }

    static boolean isBinary(Attribute attribute) {
        return BINARY_VRS.contains(attribute.getVRAsString());
    }

    static byte[] littleEndianBytes(Attribute attribute) throws IOException {
        try {
            if ("OW".equals(attribute.getVRAsString())) {
                short[] words = attribute.getShortValues();
                ByteBuffer buffer = ByteBuffer.allocate(words.length * 2).order(ByteOrder.LITTLE_ENDIAN);
                buffer.asShortBuffer().put(words);
                return buffer.array();
            }
            return attribute.getByteValues();
        } catch (DicomException e) {
            throw new IOException("cannot read the value of " + attribute.getTag(), e);
        }
    }

    private static AttributeList readUpToPixelData(Path file) throws DicomFormatException {
        return header(file).attributes();
    }

    /** The attributes before the pixel data of a stored object. */
    static AttributeList attributesBeforePixelData(Path file) throws IOException {
        return readHeader(file);
    }

    /** The attributes before the pixel data, and whether top-level Pixel Data (7FE0,0010) follows them. */
    private record Header(AttributeList attributes, boolean pixelDataFollows) {}

    private static Header header(Path file) throws DicomFormatException {
        AttributeList list = new AttributeList();
        boolean[] pixelData = {false};
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file));
                DicomInputStream dicom = new DicomInputStream(in)) {
            // Stops before the value is read; the identity check leaves an icon image's Pixel Data
            // (inside a sequence item) alone.
            list.read(dicom, (read, tag, offset) -> pixelData[0] = read == list && tag.equals(TagFromName.PixelData));
        } catch (IOException | DicomException | RuntimeException e) {
            throw new DicomFormatException("cannot parse as DICOM: " + e.getMessage(), e);
        }
        return new Header(list, pixelData[0]);
    }

    /** The whole object, or null when its content past the header cannot be decoded (a damaged or truncated object as stored). */
    private static AttributeList readAll(Path file) throws IOException {
        AttributeList list = new AttributeList();
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file));
                DicomInputStream dicom = new DicomInputStream(in)) {
            list.read(dicom);
        } catch (DicomException | java.io.EOFException | RuntimeException e) {
            return null;
        }
        return list;
    }

    private static AttributeList readHeader(Path file) throws IOException {
        try {
            return readUpToPixelData(file);
        } catch (DicomFormatException e) {
            throw new IOException("stored object no longer readable: " + file, e);
        }
    }

    private static String requiredUid(AttributeList list, AttributeTag tag, String name) throws DicomFormatException {
        String value = string(list, tag);
        if (value == null) {
            throw new DicomFormatException(name + " " + tagString(tag) + " missing");
        }
        requireUidSyntax(value, name);
        return value;
    }

    private static void requireUidSyntax(String value, String name) throws DicomFormatException {
        if (value.length() > 64 || !UID.matcher(value).matches()) {
            throw new DicomFormatException(name + " '" + value + "' is not a valid UID");
        }
    }

    private static String tagString(AttributeTag tag) {
        return String.format(Locale.ROOT, "(%04X,%04X)", tag.getGroup(), tag.getElement());
    }

    private static String string(AttributeList list, AttributeTag tag) {
        Attribute attribute = list.get(tag);
        if (attribute == null) {
            return null;
        }
        String value = attribute.getDelimitedStringValuesOrNull();
        if (value == null) {
            return null;
        }
        value = value.strip().replace("\0", "");
        return value.isEmpty() ? null : value;
    }

    private static Integer integer(AttributeList list, AttributeTag tag) {
        String value = string(list, tag);
        if (value == null) {
            return null;
        }
        try {
            return Integer.valueOf(value.split("\\\\")[0].strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static int orZero(Integer value) {
        return value == null ? 0 : value;
    }

    /** Top-level attributes without sequences and binaries, for the index. */
    private static ObjectNode indexAttributes(AttributeList list) {
        ObjectNode dataset = JSON.objectNode();
        for (Attribute attribute : list.values()) {
            AttributeTag tag = attribute.getTag();
            String vr = attribute.getVRAsString();
            if (skipped(tag) || "SQ".equals(vr) || BINARY_VRS.contains(vr)) {
                continue;
            }
            ObjectNode element = element(attribute, null, false);
            if (element != null) {
                dataset.set(key(tag), element);
            }
        }
        return dataset;
    }

    private static ObjectNode dataset(AttributeList list, String bulkDataBase, boolean topLevel) {
        ObjectNode dataset = JSON.objectNode();
        for (Attribute attribute : list.values()) {
            AttributeTag tag = attribute.getTag();
            if (skipped(tag)) {
                continue;
            }
            ObjectNode element = element(attribute, bulkDataBase, topLevel);
            if (element != null) {
                dataset.set(key(tag), element);
            }
        }
        return dataset;
    }

    /** File Meta Information, group lengths and the pixel data (given separately) are not part of the dataset. */
    private static boolean skipped(AttributeTag tag) {
        return tag.isFileMetaInformationGroup() || tag.isGroupLength() || tag.equals(TagFromName.PixelData);
    }

    private static String key(AttributeTag tag) {
        return String.format(Locale.ROOT, "%04X%04X", tag.getGroup(), tag.getElement());
    }

    /** One attribute in the JSON model (PS3.18 F.2.2), or null when it cannot be represented. */
    private static ObjectNode element(Attribute attribute, String bulkDataBase, boolean topLevel) {
        String vr = attribute.getVRAsString();
        ObjectNode element = JSON.objectNode();
        element.put("vr", vr);
        try {
            if (attribute instanceof SequenceAttribute sequence) {
                ArrayNode items = JSON.arrayNode();
                for (int i = 0; i < sequence.getNumberOfItems(); i++) {
                    SequenceItem item = sequence.getItem(i);
                    items.add(dataset(item.getAttributeList(), bulkDataBase, false));
                }
                if (!items.isEmpty()) {
                    element.set("Value", items);
                }
                return element;
            }
            if (BINARY_VRS.contains(vr)) {
                if (attribute.getVL() == 0) {
                    return element;
                }
                if (topLevel && bulkDataBase != null && attribute.getVL() > BULK_THRESHOLD) {
                    element.put("BulkDataURI", bulkDataBase + "/" + key(attribute.getTag()));
                } else if (bulkDataBase != null) {
                    element.put("InlineBinary", Base64.getEncoder().encodeToString(littleEndianBytes(attribute)));
                } else {
                    return null;
                }
                return element;
            }
            String[] values = attribute.getStringValues();
            if (values == null || values.length == 0) {
                return element;
            }
            ArrayNode array = JSON.arrayNode();
            for (String raw : values) {
                array.add(value(vr, raw));
            }
            if (array.size() == 1 && array.get(0).isNull() && !"PN".equals(vr)) {
                return element;
            }
            element.set("Value", array);
            return element;
        } catch (DicomException | IOException | RuntimeException e) {
            // An attribute PixelMed cannot decode is reported without value rather than failing the whole object.
            return element;
        }
    }

    private static JsonNode value(String vr, String raw) {
        String value = raw == null ? "" : raw.replace("\0", "");
        switch (vr) {
            case "PN": {
                String trimmed = value.strip();
                if (trimmed.isEmpty()) {
                    return JSON.nullNode();
                }
                ObjectNode name = JSON.objectNode();
                String[] groups = trimmed.split("=", -1);
                String[] names = {"Alphabetic", "Ideographic", "Phonetic"};
                for (int i = 0; i < Math.min(groups.length, 3); i++) {
                    if (!groups[i].isEmpty()) {
                        name.put(names[i], groups[i]);
                    }
                }
                return name;
            }
            case "DS": {
                try {
                    return JSON.numberNode(new BigDecimal(value.strip()));
                } catch (NumberFormatException e) {
                    return JSON.nullNode();
                }
            }
            case "IS", "SS", "US", "SL", "UL", "SV", "UV": {
                try {
                    return JSON.numberNode(new BigInteger(value.strip()));
                } catch (NumberFormatException e) {
                    return JSON.nullNode();
                }
            }
            case "FL", "FD": {
                try {
                    double number = Double.parseDouble(value.strip());
                    return Double.isFinite(number) ? JSON.numberNode(number) : JSON.nullNode();
                } catch (NumberFormatException e) {
                    return JSON.nullNode();
                }
            }
            case "AT": {
                Matcher matcher = HEX_PAIR.matcher(value);
                if (matcher.find()) {
                    return JSON.textNode((matcher.group(1) + matcher.group(2)).toUpperCase(Locale.ROOT));
                }
                String hex = value.replaceAll("[^0-9A-Fa-f]", "");
                return hex.length() == 8 ? JSON.textNode(hex.toUpperCase(Locale.ROOT)) : JSON.nullNode();
            }
            case "LT", "ST", "UT":
                return JSON.textNode(value.stripTrailing());
            default: {
                String trimmed = value.strip();
                return trimmed.isEmpty() ? JSON.nullNode() : JSON.textNode(trimmed);
            }
        }
    }

    /** The tag (8 upper-case hex digits) of a DICOM keyword such as {@code StudyDescription}, or null. */
    public static String tagOf(String keyword) {
        AttributeTag tag = AttributeList.getDictionary().getTagFromName(keyword);
        return tag == null ? null : key(tag);
    }

    /** Parses JSON this class wrote (the index's stored attributes). */
    public static ObjectNode readJson(String json) {
        try {
            return (ObjectNode) MAPPER.readTree(json);
        } catch (IOException e) {
            throw new IllegalStateException("stored attributes are not JSON", e);
        }
    }
}
