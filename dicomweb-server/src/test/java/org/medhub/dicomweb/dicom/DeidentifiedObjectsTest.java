package org.medhub.dicomweb.dicom;

import static org.assertj.core.api.Assertions.assertThat;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.DicomInputStream;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.TagFromName;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.medhub.dicomweb.deid.ActionCode;
import org.medhub.dicomweb.deid.ActionCode.Action;
import org.medhub.dicomweb.deid.AttributeTable;
import org.medhub.dicomweb.deid.DeidOption;
import org.medhub.dicomweb.deid.DeidProfile;
import org.medhub.dicomweb.deid.DeidProfiles;
import org.medhub.dicomweb.deid.Deidentifier;
import org.medhub.dicomweb.deid.PixelRules;
import org.medhub.dicomweb.deid.Pseudonyms;

/**
 * Real objects of Debian's pydicom corpus (CT, MR, RT plan/structure/dose, SR, multi-frame, private
 * tags, nested sequences) through the Basic Profile and each option, checked attribute by attribute
 * against PS3.15 Table E.1-1: what the table says is removed is absent, emptied is empty, replaced
 * is replaced (UIDs by the keyed mapping), kept is equal, dates shift by the patient's offset.
 */
class DeidentifiedObjectsTest {

    static final Path CORPUS = Path.of("/usr/lib/python3/dist-packages/pydicom/data/test_files");
    static final String SECRET = "unit-test-secret-of-at-least-32-characters";
    /** CT, MR (also big endian), RT plan and dose (multi-frame), SR (two), SEG, ECG waveform, multi-frame RLE. */
    private static final List<String> FILES = List.of("CT_small.dcm", "MR_small.dcm", "MR_small_bigendian.dcm", "rtplan.dcm",
            "rtdose.dcm", "reportsi.dcm", "test-SR.dcm", "liver_1frame.dcm", "waveform_ecg.dcm", "SC_rgb_rle_2frame.dcm");
    private static final PixelRules CROSS_SECTIONAL = new PixelRules(List.of(), Set.of("CT", "MR", "RTDOSE", "SEG", "OT"));
    private static final AttributeTable TABLE = AttributeTable.standard();
    private static final DateTimeFormatter DATE = DateTimeFormatter.BASIC_ISO_DATE;

    static Stream<Arguments> objectsAndOptions() {
        List<Arguments> cases = new ArrayList<>();
        List<DeidOption> options = new ArrayList<>(Arrays.asList(DeidOption.values()));
        options.remove(DeidOption.CLEAN_PIXEL_DATA);
        options.add(0, null); // the Basic Profile alone
        for (DeidOption option : options) {
            for (String file : FILES) {
                cases.add(Arguments.of(file, option));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} with {1}")
    @MethodSource("objectsAndOptions")
    void everyAttributeIsTreatedAsTheTableSaysForTheProfilesOptions(String file, DeidOption option) throws Exception {
        Set<DeidOption> options = option == null ? Set.of() : EnumSet.of(option);
        DeidProfile profile = profile("p", options, Set.of("GEMS_IDEN_01/02"), Map.of());
        AttributeList before = read(Files.readAllBytes(CORPUS.resolve(file)));
        byte[] result = deidentify(file, profile, CROSS_SECTIONAL);
        AttributeList after = read(result);
        Checker checker = new Checker(profile, before);
        checker.compare(before, after, file);
        assertThat(checker.checked).as("attributes checked").isGreaterThan(10);
        assertThat(string(after, TagFromName.PatientIdentityRemoved)).isEqualTo("YES");
        assertThat(string(after, TagFromName.DeidentificationMethod)).contains("p").contains("2023");
        List<String> codes = codes(after);
        assertThat(codes).startsWith("113100").hasSize(option == null ? 1 : 2);
        if (option != null) {
            assertThat(codes).contains(option.code());
        }
        assertThat(string(after, TagFromName.LongitudinalTemporalInformationModified)).isEqualTo(
                option == DeidOption.RETAIN_LONGITUDINAL_FULL_DATES ? "UNMODIFIED"
                        : option == DeidOption.RETAIN_LONGITUDINAL_MODIFIED_DATES ? "MODIFIED" : "REMOVED");
        assertThat(string(after, TagFromName.MediaStorageSOPInstanceUID)).isEqualTo(string(after, TagFromName.SOPInstanceUID));
        if (option != DeidOption.RETAIN_UIDS) {
            String original = new String(Files.readAllBytes(CORPUS.resolve(file)), StandardCharsets.ISO_8859_1);
            String deidentified = new String(result, StandardCharsets.ISO_8859_1);
            assertThat(deidentified).doesNotContain(string(before, TagFromName.SOPInstanceUID));
            assertThat(deidentified).doesNotContain(string(before, TagFromName.StudyInstanceUID));
            String patientId = string(before, TagFromName.PatientID);
            if (patientId != null && patientId.length() > 3 && original.contains(patientId)) {
                assertThat(deidentified).doesNotContain(patientId);
            }
        }
        Attribute pixels = before.getPixelData();
        if (pixels != null) {
            assertThat(pixelBytes(after.getPixelData())).as("pixel data untouched without a rule").isEqualTo(pixelBytes(pixels));
        }
    }

    @Test
    void theResearchProfileShiftsDatesKeepsCharacteristicsAndCleansDescriptions() throws Exception {
        DeidProfiles shipped = DeidProfiles.load(Path.of("../config/deid"));
        DeidProfile research = shipped.find("research").orElseThrow();
        AttributeList before = read(Files.readAllBytes(CORPUS.resolve("CT_small.dcm")));
        AttributeList after = read(deidentify("CT_small.dcm", research, shipped.pixelRules()));
        int shift = new Pseudonyms(SECRET, "research").dateShiftDays("id:1CT1^", 365);
        assertThat(shift).isBetween(1, 365);
        for (AttributeTag date : List.of(TagFromName.StudyDate, TagFromName.SeriesDate, TagFromName.ContentDate, TagFromName.InstanceCreationDate)) {
            long days = ChronoUnit.DAYS.between(LocalDate.parse(string(after, date), DATE), LocalDate.parse(string(before, date), DATE));
            assertThat(days).as(date.toString()).isEqualTo(shift);
        }
        assertThat(string(after, TagFromName.StudyTime)).isEqualTo(string(before, TagFromName.StudyTime));
        assertThat(string(after, TagFromName.PatientAge)).isEqualTo("000Y");
        assertThat(string(after, TagFromName.PatientSex)).isEqualTo("O");
        assertThat(string(after, TagFromName.StudyDescription)).isEqualTo("e+1");
        assertThat(string(after, TagFromName.InstitutionName)).as("institution not retained").isNull();
        assertThat(after.get(TagFromName.InstitutionName)).isNotNull();
        assertThat(string(after, TagFromName.PatientID)).startsWith("DEID-").isEqualTo(string(after, TagFromName.PatientName));
        assertThat(codes(after)).containsExactlyInAnyOrder("113100", "113107", "113108", "113105", "113104");
        assertThat(after.get(TagFromName.OtherPatientIDsSequence)).as("X in the Basic Profile").isNull();
    }

    @Test
    void theSameObjectGivesTheSamePseudonymsEveryTimeAndAnotherKeyOthers() throws Exception {
        DeidProfile basic = profile("basic", Set.of(), Set.of(), Map.of());
        byte[] first = deidentify("MR_small.dcm", basic, CROSS_SECTIONAL);
        byte[] second = deidentify("MR_small.dcm", basic, CROSS_SECTIONAL);
        assertThat(second).isEqualTo(first);
        Deidentifier otherKey = new Deidentifier(TABLE, CROSS_SECTIONAL, "another-secret-of-at-least-32-characters!");
        byte[] third = DeidentifiedObjects.transform(CORPUS.resolve("MR_small.dcm"), d -> otherKey.deidentify(d, basic).released()).orElseThrow();
        assertThat(string(read(third), TagFromName.StudyInstanceUID)).isNotEqualTo(string(read(first), TagFromName.StudyInstanceUID))
                .startsWith("2.25.");
    }

    @Test
    void safePrivateAttributesStayOnlyWithTheOptionAndOnTheList() throws Exception {
        AttributeTag safe = new AttributeTag(0x0009, 0x1002);
        AttributeTag unsafe = new AttributeTag(0x0009, 0x1001);
        DeidProfile retain = profile("p", Set.of(DeidOption.RETAIN_SAFE_PRIVATE), Set.of("GEMS_IDEN_01/02"), Map.of());
        AttributeList kept = read(deidentify("CT_small.dcm", retain, CROSS_SECTIONAL));
        assertThat(string(kept, safe)).isEqualTo("CT01");
        assertThat(kept.get(unsafe)).isNull();
        assertThat(string(kept, new AttributeTag(0x0009, 0x0010))).as("its creator").isEqualTo("GEMS_IDEN_01");
        DeidProfile without = profile("p", Set.of(), Set.of("GEMS_IDEN_01/02"), Map.of());
        AttributeList removed = read(deidentify("CT_small.dcm", without, CROSS_SECTIONAL));
        assertThat(removed.get(safe)).isNull();
        assertThat(removed.get(new AttributeTag(0x0009, 0x0010))).isNull();
    }

    @Test
    void anOverrideReplacesTheTablesAction() throws Exception {
        DeidProfile keepStation = profile("p", Set.of(), Set.of(), Map.of(0x00081010, ActionCode.parse("K")));
        AttributeList after = read(deidentify("CT_small.dcm", keepStation, CROSS_SECTIONAL));
        assertThat(string(after, TagFromName.StationName)).isEqualTo("CT01_OC0");
    }

    @Test
    void anImageWithoutBurnedInAnnotationOutsideTrustedModalitiesIsWithheldUnlessARuleCleansIt() throws Exception {
        DeidProfile basic = profile("basic", Set.of(), Set.of(), Map.of());
        Deidentifier strict = new Deidentifier(TABLE, new PixelRules(List.of(), Set.of("CT")), SECRET);
        assertThat(DeidentifiedObjects.transform(CORPUS.resolve("SC_rgb_small_odd.dcm"),
                d -> strict.deidentify(d, basic).released())).isEmpty();

        AttributeList before = read(Files.readAllBytes(CORPUS.resolve("SC_rgb_small_odd.dcm")));
        String modality = string(before, TagFromName.Modality);
        PixelRules.Rule rule = new PixelRules.Rule("corner", modality, null, null, null, null, List.of(new PixelRegion(0, 0, 2, 1)));
        AttributeList after = read(deidentify("SC_rgb_small_odd.dcm", basic, new PixelRules(List.of(rule), Set.of())));
        byte[] original = pixelBytes(before.getPixelData());
        byte[] cleaned = pixelBytes(after.getPixelData());
        int samples = 3;
        assertThat(Arrays.copyOfRange(cleaned, 0, 2 * samples)).containsOnly((byte) 0);
        assertThat(Arrays.copyOfRange(cleaned, 2 * samples, cleaned.length)).isEqualTo(Arrays.copyOfRange(original, 2 * samples, original.length));
        assertThat(string(after, TagFromName.BurnedInAnnotation)).isEqualTo("NO");
        assertThat(codes(after)).contains("113101");
    }

    static DeidProfile profile(String name, Set<DeidOption> options, Set<String> safePrivate, Map<Integer, ActionCode> overrides) {
        return new DeidProfile(name, "", options, name, 365, safePrivate, overrides);
    }

    private static byte[] deidentify(String file, DeidProfile profile, PixelRules rules) throws DicomFormatException {
        Deidentifier engine = new Deidentifier(TABLE, rules, SECRET);
        return DeidentifiedObjects.transform(CORPUS.resolve(file), d -> engine.deidentify(d, profile).released())
                .orElseThrow(() -> new AssertionError(file + " withheld"));
    }

    static AttributeList read(byte[] bytes) throws IOException, DicomException {
        AttributeList list = new AttributeList();
        list.read(new DicomInputStream(new ByteArrayInputStream(bytes)));
        return list;
    }

    private static byte[] pixelBytes(Attribute pixels) throws DicomException {
        if (pixels instanceof com.pixelmed.dicom.OtherWordAttribute words) {
            java.nio.ByteBuffer buffer = java.nio.ByteBuffer.allocate(words.getShortValues().length * 2).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            buffer.asShortBuffer().put(words.getShortValues());
            return buffer.array();
        }
        return pixels.getByteValues();
    }

    static String string(AttributeList list, AttributeTag tag) {
        String value = Attribute.getSingleStringValueOrNull(list, tag);
        return value == null || value.isBlank() ? null : value.strip();
    }

    private static List<String> codes(AttributeList list) {
        List<String> codes = new ArrayList<>();
        SequenceAttribute sequence = (SequenceAttribute) list.get(TagFromName.DeidentificationMethodCodeSequence);
        for (int i = 0; i < sequence.getNumberOfItems(); i++) {
            codes.add(string(sequence.getItem(i).getAttributeList(), TagFromName.CodeValue));
        }
        return codes;
    }

    /** Expectations from the table, independent of the engine's code paths. */
    private static final class Checker {

        private final DeidProfile profile;
        private final Pseudonyms pseudonyms;
        private final int shift;
        private int checked;

        Checker(DeidProfile profile, AttributeList top) {
            this.profile = profile;
            this.pseudonyms = new Pseudonyms(SECRET, profile.project());
            String id = string(top, TagFromName.PatientID);
            String key = id != null ? "id:" + id + "^" + orEmpty(string(top, TagFromName.IssuerOfPatientID))
                    : "name:" + orEmpty(string(top, TagFromName.PatientName)) + "^" + orEmpty(string(top, TagFromName.PatientBirthDate));
            this.shift = pseudonyms.dateShiftDays(key, profile.maxDateShiftDays());
        }

        private static String orEmpty(String value) {
            return value == null ? "" : value;
        }

        void compare(AttributeList before, AttributeList after, String where) throws DicomException {
            for (Attribute attribute : before.values()) {
                AttributeTag tag = attribute.getTag();
                if (tag.isFileMetaInformationGroup() || tag.isGroupLength() || tag.equals(TagFromName.PixelData)) {
                    continue;
                }
                int key = (tag.getGroup() << 16) | tag.getElement();
                String at = where + " " + tag;
                Attribute result = after.get(tag);
                checked++;
                if (tag.isPrivate()) {
                    boolean safe = profile.has(DeidOption.RETAIN_SAFE_PRIVATE) && (tag.isPrivateCreator()
                            ? "GEMS_IDEN_01".equals(string(before, tag))
                            : profile.safePrivate().contains(orEmpty(before.getPrivateCreatorString(tag)).strip() + "/" + String.format("%02X", tag.getElement() & 0xFF)));
                    assertThat(result).as(at + " private").matches(r -> safe == (r != null));
                    continue;
                }
                AttributeTable.Row row = TABLE.find(key);
                String vr = attribute.getVRAsString();
                if (row == null) {
                    unlisted(attribute, result, vr, at);
                    continue;
                }
                Action action = profile.actionFor(key, row).resolved();
                if ((key == 0x00100010 || key == 0x00100020) && action != Action.K) {
                    assertThat(result.getSingleStringValueOrEmptyString()).as(at).startsWith("DEID-");
                    continue;
                }
                switch (action) {
                    case X -> assertThat(result).as(at + " removed (" + row.name() + ")").isNull();
                    case Z -> assertThat(result != null && (result instanceof SequenceAttribute s ? s.getNumberOfItems() == 0 : result.getVL() == 0))
                            .as(at + " emptied (" + row.name() + ")").isTrue();
                    case D -> {
                        assertThat(result).as(at + " replaced (" + row.name() + ")").isNotNull();
                        if (!(result instanceof SequenceAttribute) && !"UI".equals(vr) && attribute.getVL() > 0) {
                            assertThat(result.getVL()).as(at).isGreaterThan(0);
                        }
                    }
                    case K -> same(attribute, result, at);
                    case U -> {
                        if ("UI".equals(vr)) {
                            assertThat(List.of(result.getStringValues())).as(at + " UID replaced")
                                    .isEqualTo(Arrays.stream(attribute.getStringValues()).map(String::strip).map(pseudonyms::uid).toList());
                        } else {
                            nested(attribute, result, at);
                        }
                    }
                    case C -> cleaned(attribute, result, vr, at);
                }
            }
        }

        private void unlisted(Attribute attribute, Attribute result, String vr, String at) throws DicomException {
            if ("PN".equals(vr)) {
                assertThat(result.getVL()).as(at + " name emptied").isZero();
            } else if ("DA".equals(vr) || "DT".equals(vr)) {
                dates(attribute, result, at);
            } else if (attribute instanceof SequenceAttribute) {
                nested(attribute, result, at);
            } else {
                same(attribute, result, at);
            }
        }

        private void cleaned(Attribute attribute, Attribute result, String vr, String at) throws DicomException {
            if ("DA".equals(vr) || "DT".equals(vr)) {
                dates(attribute, result, at);
            } else if (attribute instanceof SequenceAttribute) {
                nested(attribute, result, at);
            } else {
                assertThat(result).as(at + " cleaned, kept").isNotNull();
            }
        }

        private void dates(Attribute attribute, Attribute result, String at) throws DicomException {
            if (profile.has(DeidOption.RETAIN_LONGITUDINAL_FULL_DATES)) {
                same(attribute, result, at);
            } else if (profile.has(DeidOption.RETAIN_LONGITUDINAL_MODIFIED_DATES)) {
                String original = attribute.getSingleStringValueOrEmptyString().strip();
                if (original.length() >= 8) {
                    String moved = result.getSingleStringValueOrEmptyString();
                    assertThat(ChronoUnit.DAYS.between(LocalDate.parse(moved.substring(0, 8), DATE), LocalDate.parse(original.substring(0, 8), DATE)))
                            .as(at + " shifted").isEqualTo(shift);
                }
            } else {
                assertThat(result == null || result.getVL() == 0).as(at + " date removed or emptied").isTrue();
            }
        }

        private void same(Attribute attribute, Attribute result, String at) throws DicomException {
            assertThat(result).as(at + " kept").isNotNull();
            if (attribute instanceof SequenceAttribute) {
                nested(attribute, result, at);
            } else if (!Set.of("OB", "OW", "UN", "OF", "OD", "OL").contains(attribute.getVRAsString())) {
                assertThat(result.getStringValues()).as(at + " kept").isEqualTo(attribute.getStringValues());
            }
        }

        private void nested(Attribute attribute, Attribute result, String at) throws DicomException {
            SequenceAttribute before = (SequenceAttribute) attribute;
            SequenceAttribute after = (SequenceAttribute) result;
            assertThat(after.getNumberOfItems()).as(at + " items").isEqualTo(before.getNumberOfItems());
            for (int i = 0; i < before.getNumberOfItems(); i++) {
                compare(before.getItem(i).getAttributeList(), after.getItem(i).getAttributeList(), at + "[" + i + "]");
            }
        }
    }
}
