package org.medhub.dicomweb.qido;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.medhub.dicomweb.web.InvalidQueryException;

class QidoQueryTest {

    private static QidoQuery parse(QueryLevel level, Map<QueryAttribute, String> scope, String... pairs) {
        Map<String, List<String>> parameters = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            parameters.computeIfAbsent(pairs[i], k -> new java.util.ArrayList<>()).add(pairs[i + 1]);
        }
        return QidoQuery.parse(level, parameters, scope, 100, 1000,
                keyword -> keyword.equals("BodyPartExamined") ? "00180015" : null, MatchColumns.INDEX);
    }

    private static QidoQuery studies(String... pairs) {
        return parse(QueryLevel.STUDY, Map.of(), pairs);
    }

    @Test
    void patientNameWildcardsBecomeCaseInsensitiveLikeOnTheIndexedColumn() {
        QidoQuery query = studies("PatientName", "doe^j*n?_%");
        assertThat(query.sql()).contains("s.patient_name_upper LIKE ?");
        assertThat(query.arguments()).startsWith("DOE^J%N_\\_\\%");
    }

    @Test
    void valuesWithoutWildcardsMatchExactlyAndUniversalMatchingAddsNoCondition() {
        QidoQuery query = studies("PatientID", "12345", "AccessionNumber", "*", "StudyDescription", "");
        assertThat(query.sql()).contains("s.patient_id = ?").doesNotContain("s.accession_number =").doesNotContain("LIKE");
        assertThat(query.returned()).contains(QueryAttribute.ACCESSION_NUMBER, QueryAttribute.STUDY_DESCRIPTION);
    }

    @Test
    void uidListsAcceptCommasAndBackslashes() {
        QidoQuery query = studies("StudyInstanceUID", "1.2.3,1.2.4\\1.2.5");
        assertThat(query.sql()).contains("s.study_uid = ANY (?)");
        assertThat((String[]) query.arguments().get(0)).containsExactly("1.2.3", "1.2.4", "1.2.5");
    }

    @Test
    void dateRangesOpenOrClosed() {
        assertThat(studies("StudyDate", "20200101-20201231").sql()).contains("s.study_date >= ?", "s.study_date <= ?");
        assertThat(studies("StudyDate", "-20201231").sql()).doesNotContain(">=").contains("s.study_date <= ?");
        assertThat(studies("00080020", "20200101-").sql()).contains("s.study_date >= ?").doesNotContain("<=");
        assertThat(studies("StudyDate", "20200101").sql()).contains("s.study_date = ?");
        assertThatThrownBy(() -> studies("StudyDate", "yesterday")).isInstanceOf(InvalidQueryException.class);
    }

    @Test
    void projectedKeysAreMatchedOnTheJoinedColumnsWhoseParametersComeFirst() {
        MatchColumns projection = new MatchColumns(" LEFT JOIN p d ON d.view = ? AND d.study_uid = s.study_uid", List.of("v1"),
                Map.of(QueryAttribute.PATIENT_NAME, "d.patient_name_upper", QueryAttribute.STUDY_DATE, "d.study_date"));
        Map<String, List<String>> parameters = new LinkedHashMap<>();
        parameters.put("PatientName", List.of("doe*"));
        parameters.put("StudyDate", List.of("20200101-20201231"));
        parameters.put("PatientID", List.of("7"));
        QidoQuery query = QidoQuery.parse(QueryLevel.STUDY, parameters, Map.of(), 100, 1000, k -> null, projection);
        assertThat(query.projected()).isTrue();
        assertThat(query.sql()).contains("FROM study s LEFT JOIN p d ON d.view = ? AND d.study_uid = s.study_uid WHERE")
                .contains("d.patient_name_upper LIKE ?", "d.study_date >= ?", "d.study_date <= ?", "s.patient_id = ?")
                .doesNotContain("s.patient_name_upper", "s.study_date >=");
        assertThat(query.arguments()).startsWith("v1", "DOE%");

        QidoQuery universal = QidoQuery.parse(QueryLevel.STUDY, Map.of("PatientName", List.of("*")), Map.of(), 100, 1000,
                k -> null, projection);
        assertThat(universal.projected()).as("nothing matched on the projection: no join").isFalse();
        assertThat(universal.sql()).doesNotContain("JOIN");
    }

    @Test
    void modalitiesInStudyMatchesAnySeries() {
        QidoQuery query = studies("ModalitiesInStudy", "CT,MR");
        assertThat(query.sql()).contains("EXISTS (SELECT 1 FROM series m WHERE m.study_uid = s.study_uid AND m.modality = ANY (?))");
    }

    @Test
    void limitIsCappedAndOneMoreRowIsFetchedToDetectMore() {
        QidoQuery query = studies("limit", "5000", "offset", "20");
        assertThat(query.limit()).isEqualTo(1000);
        assertThat(query.arguments()).endsWith(1001, 20);
        assertThatThrownBy(() -> studies("limit", "-1")).isInstanceOf(InvalidQueryException.class);
    }

    @Test
    void includefieldTakesKeywordsTagsAndAll() {
        QidoQuery query = studies("includefield", "StudyDescription,00180015", "includefield", "BodyPartExamined");
        assertThat(query.extraTags()).containsExactly("00180015");
        assertThat(query.sql()).contains("sample_attributes");
        QidoQuery all = parse(QueryLevel.SERIES, Map.of(QueryAttribute.STUDY_INSTANCE_UID, "1.2"), "includefield", "all");
        assertThat(all.returned()).contains(QueryAttribute.SERIES_DATE, QueryAttribute.PATIENT_NAME);
        assertThatThrownBy(() -> studies("includefield", "NoSuchKeyword")).isInstanceOf(InvalidQueryException.class);
    }

    @Test
    void requiredReturnAttributesPerLevel() {
        assertThat(studies().returned()).contains(QueryAttribute.NUMBER_OF_STUDY_RELATED_SERIES,
                QueryAttribute.NUMBER_OF_STUDY_RELATED_INSTANCES, QueryAttribute.MODALITIES_IN_STUDY,
                QueryAttribute.PATIENT_ID, QueryAttribute.STUDY_INSTANCE_UID);
        QidoQuery nested = parse(QueryLevel.INSTANCE, Map.of(QueryAttribute.STUDY_INSTANCE_UID, "1.2"));
        assertThat(nested.returned()).contains(QueryAttribute.SOP_INSTANCE_UID, QueryAttribute.SOP_CLASS_UID,
                QueryAttribute.ROWS, QueryAttribute.SERIES_INSTANCE_UID, QueryAttribute.STUDY_INSTANCE_UID)
                .doesNotContain(QueryAttribute.PATIENT_NAME);
        assertThat(nested.sql()).contains("s.study_uid = ?");
    }

    @Test
    void keysOfALowerLevelOrUnknownKeysAreRejected() {
        assertThatThrownBy(() -> studies("SOPInstanceUID", "1.2")).isInstanceOf(InvalidQueryException.class)
                .hasMessageContaining("not a matching key of a study query");
        assertThatThrownBy(() -> studies("Nonsense", "1")).isInstanceOf(InvalidQueryException.class);
        assertThatThrownBy(() -> studies("NumberOfStudyRelatedSeries", "1")).isInstanceOf(InvalidQueryException.class);
    }
}
