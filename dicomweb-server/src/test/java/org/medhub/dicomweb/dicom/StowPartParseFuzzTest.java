package org.medhub.dicomweb.dicom;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.slf4j.LoggerFactory;

/**
 * Fuzz target: one STOW-RS part's bytes through the parse paths an upload takes, the plain route's
 * (the staged file, {@link DicomObjects#parse}) and the de-identifying route's (the stream,
 * {@link DeidentifiedObjects#transform}). Bad input may only end in the declared
 * {@link DicomFormatException} or {@link UnsupportedSopClassException} (failure reasons 0xC000 and
 * 0x0122 in the STOW-RS answer): no other exception, no hang, no allocation the input does not
 * justify (the fuzzing run gives the JVM a small heap). Seeds ({@code StowPartParseFuzzTestInputs/part/}):
 * small objects of pydicom's test corpus (Debian {@code python3-pydicom}, MIT licence) covering explicit
 * and implicit VR, big endian without meta information, RLE and JPEG 2000 pixel data, private and
 * UN-encoded sequences, a meta header without TransferSyntaxUID; crashers found are kept beside them.
 */
class StowPartParseFuzzTest {

    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());
    private static Path staged;

    @BeforeAll
    static void stagingFileAndQuietToolkit() throws IOException {
        staged = Files.createTempFile("medhub-fuzz-", ".part");
        // PixelMed logs (with stack traces) every oddity it tolerates: at fuzzing rates that is the run's
        // main cost. Its warnings are not what this target checks.
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger("com.pixelmed")).setLevel(Level.OFF);
    }

    @AfterAll
    static void removeStagingFile() throws IOException {
        Files.deleteIfExists(staged);
    }

    @FuzzTest(maxDuration = "10s")
    void part(byte[] input) throws IOException {
        Files.write(staged, input);
        PrintStream err = System.err;
        System.setErr(QUIET); // PixelMed also prints straight to System.err
        try {
            parseAsUploaded(input);
        } finally {
            System.setErr(err);
        }
    }

    private static void parseAsUploaded(byte[] input) throws IOException {
        try {
            ParsedInstance instance = DicomObjects.parse(staged);
            assertThat(instance.sopInstanceUid()).isNotBlank();
        } catch (DicomFormatException | UnsupportedSopClassException e) {
            assertThat(e.getMessage()).isNotBlank();
        }
        try {
            DeidentifiedObjects.transform(new ByteArrayInputStream(input), dataset -> true);
        } catch (DicomFormatException e) {
            assertThat(e.getMessage()).isNotBlank();
        }
    }
}
