package org.medhub.dicomweb.dicom;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.DicomInputStream;
import com.pixelmed.dicom.FileMetaInformation;
import com.pixelmed.dicom.OtherByteAttributeMultipleCompressedFrames;
import com.pixelmed.dicom.OtherWordAttribute;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TransferSyntax;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Changes of transfer syntax on retrieval (PS3.18 8.7.3): objects rewritten in Explicit VR Little
 * Endian with their pixel data decoded by PixelMed (native syntaxes, deflate, RLE, 8-bit JPEG
 * baseline, JPEG lossless, JPEG 2000), and the compressed frames of encapsulated pixel data as stored.
 */
public final class Transcoding {

    static {
        ImageCodecs.register();
    }

    private Transcoding() {}

    /**
     * Writes the stored object as a PS3.10 file in Explicit VR Little Endian.
     *
     * @throws UnsupportedOperationException if its pixel data cannot be decoded here (e.g. JPEG-LS, 12-bit JPEG)
     */
    public static void writeExplicitLittleEndian(Path file, OutputStream out) throws IOException {
        AttributeList list = decoded(file);
        try {
            String storedSyntax = Attribute.getSingleStringValueOrNull(list, TagFromName.TransferSyntaxUID);
            if (storedSyntax != null && new TransferSyntax(storedSyntax).isBigEndian()) {
                keepThirtyTwoBitSamplesWhole(list);
            }
            list.removeGroupLengthAttributes();
            list.removeMetaInformationHeaderAttributes();
            list.remove(TagFromName.DataSetTrailingPadding);
            // After decoding, Photometric Interpretation and friends must describe the native pixels
            // (e.g. YBR_FULL_422 JPEG becomes RGB), and a lossy origin stays recorded (PS3.3 C.7.6.1.1.5).
            list.correctDecompressedImagePixelModule();
            list.insertLossyImageCompressionHistoryIfDecompressed();
            FileMetaInformation.addFileMetaInformation(list, TransferSyntaxes.EXPLICIT_VR_LITTLE_ENDIAN, "MEDHUB");
            // PixelMed closes the stream it writes to; the caller may have more to write (multipart).
            OutputStream unclosable = new FilterOutputStream(out) {
                @Override
                public void write(byte[] bytes, int offset, int length) throws IOException {
                    out.write(bytes, offset, length);
                }

                @Override
                public void close() throws IOException {
                    flush();
                }
            };
            list.write(unclosable, TransferSyntaxes.EXPLICIT_VR_LITTLE_ENDIAN, true, true);
        } catch (DicomException e) {
            throw new UnsupportedOperationException("cannot rewrite the object in Explicit VR Little Endian: " + e.getMessage(), e);
        }
    }

    /**
     * PixelMed holds OW pixel data as 16-bit words and writes each word little-endian, which splits a
     * big-endian 32-bit sample into two words in the wrong order (RT Dose): swap the words of each sample.
     */
    private static void keepThirtyTwoBitSamplesWhole(AttributeList list) throws DicomException {
        Attribute pixels = list.getPixelData();
        if (pixels == null || !"OW".equals(pixels.getVRAsString())
                || Attribute.getSingleIntegerValueOrDefault(list, TagFromName.BitsAllocated, 0) != 32) {
            return;
        }
        short[] words = pixels.getShortValues().clone();
        for (int i = 0; i + 1 < words.length; i += 2) {
            short first = words[i];
            words[i] = words[i + 1];
            words[i + 1] = first;
        }
        OtherWordAttribute swapped = new OtherWordAttribute(TagFromName.PixelData);
        swapped.setValues(words);
        list.put(swapped);
    }

    /**
     * The frames of encapsulated pixel data, each the compressed bit stream as stored (PS3.5 A.4).
     *
     * @throws UnsupportedOperationException if the pixel data is not encapsulated
     * @throws IndexOutOfBoundsException if a frame number does not exist
     */
    public static byte[][] compressedFrames(Path file, int[] numbers) throws IOException {
        AttributeList list = new AttributeList();
        list.setDecompressPixelData(false);
        read(file, list);
        if (!(list.getPixelData() instanceof OtherByteAttributeMultipleCompressedFrames encapsulated)) {
            throw new UnsupportedOperationException("the pixel data is not encapsulated");
        }
        byte[][] frames = encapsulated.getFrames();
        byte[][] result = new byte[numbers.length][];
        for (int i = 0; i < numbers.length; i++) {
            if (numbers[i] < 1 || numbers[i] > frames.length) {
                throw new IndexOutOfBoundsException("frame " + numbers[i] + " does not exist (the instance has "
                        + frames.length + ")");
            }
            result[i] = frames[numbers[i] - 1];
        }
        return result;
    }

    /**
     * The whole object with native pixel data: PixelMed decodes encapsulated pixel data while reading.
     *
     * @throws UnsupportedOperationException if PixelMed has no decoder for it, or the object is damaged past its header
     */
    static AttributeList decoded(Path file) throws IOException {
        AttributeList list = new AttributeList();
        read(file, list);
        Attribute pixels = list.getPixelData();
        if (pixels instanceof OtherByteAttributeMultipleCompressedFrames) {
            throw new UnsupportedOperationException("the pixel data could not be decoded");
        }
        return list;
    }

    private static void read(Path file, AttributeList list) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file));
                DicomInputStream dicom = new DicomInputStream(in)) {
            list.read(dicom);
        } catch (DicomException | EOFException | RuntimeException e) {
            // PixelMed reports a syntax it has no codec for (JPEG-LS, 12-bit JPEG) as a DicomException.
            throw new UnsupportedOperationException("the stored object cannot be decoded here: " + e.getMessage(), e);
        }
    }
}
