package org.medhub.dicomweb.qido;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.medhub.dicomweb.dicom.DicomObjects;
import org.medhub.dicomweb.web.InvalidQueryException;

/**
 * Fuzz target: a QIDO-RS request as an outsider sends it: the input's first line names the level
 * ({@code studies}, {@code series}, {@code instances}, optionally {@code /scoped} for the
 * {@code /studies/{s}/...} forms), the second is the query string. Bad input may only end in the
 * parser's declared {@link InvalidQueryException} (answered 400); a query that parses binds every
 * value as a parameter (as many {@code ?} as arguments, no value in the SQL text) and keeps
 * {@code limit} within its bound. Seeds: {@code QidoQueryFuzzTestInputs/request/}.
 */
class QidoQueryFuzzTest {

    @FuzzTest(maxDuration = "10s")
    void request(byte[] input) {
        String[] lines = new String(input, StandardCharsets.UTF_8).split("\n", 2);
        String target = lines[0].strip().toLowerCase(Locale.ROOT);
        QueryLevel level = target.startsWith("instances") ? QueryLevel.INSTANCE
                : target.startsWith("series") ? QueryLevel.SERIES : QueryLevel.STUDY;
        Map<QueryAttribute, String> scope = new LinkedHashMap<>();
        if (level != QueryLevel.STUDY && target.endsWith("/scoped")) {
            scope.put(QueryAttribute.STUDY_INSTANCE_UID, "1.2.3");
        }
        Map<String, List<String>> parameters = new LinkedHashMap<>();
        if (lines.length > 1) {
            for (String pair : lines[1].split("&")) {
                int equals = pair.indexOf('=');
                String name = decode(equals < 0 ? pair : pair.substring(0, equals));
                String value = equals < 0 ? "" : decode(pair.substring(equals + 1));
                parameters.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
            }
        }
        QidoQuery query;
        try {
            query = QidoQuery.parse(level, parameters, scope, 100, 1000, DicomObjects::tagOf, MatchColumns.INDEX);
        } catch (InvalidQueryException e) {
            assertThat(e.getMessage()).isNotBlank();
            return;
        }
        assertThat(query.sql().chars().filter(c -> c == '?').count()).isEqualTo(query.arguments().size());
        assertThat(query.sql()).doesNotContain("'" + "'").doesNotContain(";");
        assertThat(query.limit()).isBetween(0, 1000);
        assertThat(query.offset()).isNotNegative();
    }

    /** As a servlet container decodes a query string; undecodable escapes are kept as they are. */
    private static String decode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return text;
        }
    }
}
