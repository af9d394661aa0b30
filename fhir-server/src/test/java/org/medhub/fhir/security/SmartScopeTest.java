package org.medhub.fhir.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import org.junit.jupiter.api.Test;
import org.medhub.fhir.security.SmartScope.Context;
import org.medhub.fhir.security.SmartScope.Interaction;

class SmartScopeTest {

    @Test
    void v2LettersMapToInteractions() {
        SmartScope scope = SmartScope.parse("patient/Observation.rs").orElseThrow();

        assertThat(scope.context()).isEqualTo(Context.PATIENT);
        assertThat(scope.resourceType()).isEqualTo("Observation");
        assertThat(scope.interactions()).containsExactly(Interaction.READ);
        assertThat(SmartScope.parse("user/*.cruds").orElseThrow().interactions())
                .isEqualTo(EnumSet.allOf(Interaction.class));
        assertThat(SmartScope.parse("system/Patient.cu").orElseThrow().interactions())
                .containsExactlyInAnyOrder(Interaction.CREATE, Interaction.UPDATE);
    }

    @Test
    void v1ReadAndWriteAreUnderstood() {
        assertThat(SmartScope.parse("user/Patient.read").orElseThrow().interactions()).containsExactly(Interaction.READ);
        assertThat(SmartScope.parse("user/Patient.write").orElseThrow().interactions())
                .containsExactlyInAnyOrder(Interaction.CREATE, Interaction.UPDATE, Interaction.DELETE);
        assertThat(SmartScope.parse("user/*.*").orElseThrow().allTypes()).isTrue();
    }

    @Test
    void nonResourceScopesAndMalformedOnesAreNotResourceScopes() {
        assertThat(SmartScope.parse("openid")).isEmpty();
        assertThat(SmartScope.parse("launch/patient")).isEmpty();
        assertThat(SmartScope.parse("fhirUser")).isEmpty();
        assertThat(SmartScope.parse("user/Patient.")).isEmpty();
        assertThat(SmartScope.parse("user/patient.rs")).isEmpty();
        assertThat(SmartScope.parse("admin/Patient.rs")).isEmpty();
    }

    @Test
    void fineGrainedScopesGrantNothingRatherThanTooMuch() {
        assertThat(SmartScope.parse("patient/Observation.rs?category=laboratory")).isEmpty();
    }

    @Test
    void everyScopeWithASmartContextPrefixIsAResourceScopeEvenWhenItDoesNotParse() {
        assertThat(SmartScope.isResourceScope("patient/Observation.rs?category=laboratory")).isTrue();
        assertThat(SmartScope.isResourceScope("user/Observation.sr")).isTrue();
        assertThat(SmartScope.isResourceScope("system/*.everything")).isTrue();
        assertThat(SmartScope.isResourceScope("launch/patient")).isFalse();
        assertThat(SmartScope.isResourceScope("openid")).isFalse();
        assertThat(SmartScope.isResourceScope("offline_access")).isFalse();
    }
}
