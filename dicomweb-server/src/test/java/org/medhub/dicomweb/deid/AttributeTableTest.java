package org.medhub.dicomweb.deid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class AttributeTableTest {

    private final AttributeTable table = AttributeTable.standard();

    @Test
    void theShippedTableNamesItsEditionAndHasEveryRowOfTheStandardsTable() {
        assertThat(table.edition()).isEqualTo("2023");
        assertThat(table.rows()).hasSize(460);
        assertThat(table.rows().stream().map(AttributeTable.Row::tag).distinct()).hasSize(460);
    }

    @Test
    void basicProfileActionsAreDistributedAsInTheStandard() {
        Map<String, Long> counts = table.rows().stream()
                .collect(Collectors.groupingBy(r -> r.basic().code(), TreeMap::new, Collectors.counting()));
        // Counted in the standard's table of the edition named: every code of the legend occurs,
        // combinations included; K and C only come with options.
        assertThat(counts).containsExactlyEntriesOf(new TreeMap<>(Map.of(
                "D", 45L, "U", 50L, "X", 287L, "X/D", 18L, "X/Z", 10L, "X/Z/D", 7L, "X/Z/U*", 2L, "Z", 37L, "Z/D", 4L)));
        assertThat(table.rows()).allSatisfy(row -> assertThat(row.options().values())
                .allSatisfy(code -> assertThat(code.code()).isIn("K", "C", "X")));
    }

    @Test
    void rowsAreFoundByTagRepeatingGroupAndPrivateGroup() {
        assertThat(table.find(0x00100010).name()).isEqualTo("Patient's Name");
        assertThat(table.find(0x00100010).basic().code()).isEqualTo("Z");
        AttributeTable.Row studyUid = table.find(0x0020000D);
        assertThat(studyUid.basic().resolved()).isEqualTo(ActionCode.Action.U);
        assertThat(studyUid.options()).containsEntry(DeidOption.RETAIN_UIDS, ActionCode.parse("K"));
        assertThat(table.find(0x60023000).name()).isEqualTo("Overlay Data");
        assertThat(table.find(0x50100200).name()).isEqualTo("Curve Data");
        assertThat(table.find(0x00091001).name()).isEqualTo("Private attributes");
        assertThat(table.find(0x00280010)).as("Rows is not in the table").isNull();
    }

    @Test
    void combinedCodesResolveToWhatKeepsEveryIodValid() {
        assertThat(ActionCode.parse("X/Z").resolved()).isEqualTo(ActionCode.Action.Z);
        assertThat(ActionCode.parse("X/Z/D").resolved()).isEqualTo(ActionCode.Action.Z);
        assertThat(ActionCode.parse("Z/D").resolved()).isEqualTo(ActionCode.Action.Z);
        assertThat(ActionCode.parse("X/D").resolved()).isEqualTo(ActionCode.Action.X);
        assertThat(ActionCode.parse("X/Z/U*").resolved()).isEqualTo(ActionCode.Action.U);
        assertThatThrownBy(() -> ActionCode.parse("Q")).hasMessageContaining("not a PS3.15 action code");
        assertThatThrownBy(() -> ActionCode.parse("X//Z")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aTableWithoutEditionOrWithARaggedRowIsRefused() {
        String header = "tag,name,in_std_iod,basic,safe_private,uids,device,institution,patient_chars,full_dates,modified_dates,clean_desc,clean_struct,clean_graph\n";
        assertThatThrownBy(() -> AttributeTable.read(stream(header + "00100010,Patient's Name,Y,Z,,,,,,,,,,\n")))
                .hasMessageContaining("edition");
        assertThatThrownBy(() -> AttributeTable.read(stream("#edition=2023\n" + header + "00100010,Patient's Name,Y,Z\n")))
                .hasMessageContaining("4 fields");
        assertThatThrownBy(() -> AttributeTable.read(stream("#edition=2023\n" + header + "00100010,Patient's Name,Y,Q,,,,,,,,,,\n")))
                .hasMessageContaining("not a PS3.15 action code");
    }

    private static ByteArrayInputStream stream(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }
}
