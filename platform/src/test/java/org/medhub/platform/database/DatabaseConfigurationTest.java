package org.medhub.platform.database;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DatabaseConfigurationTest {

    private final DatabaseServer unreachable = new ExternalDatabaseServer("jdbc:postgresql://127.0.0.1:1/none", "u", "p");

    @Test
    void anExternalUrlThatIsNotPostgresIsRefusedWithTheSettingNamed() {
        assertThatThrownBy(() -> new ExternalDatabaseServer("jdbc:mysql://db/medhub", "u", "p"))
                .hasMessageContaining("medhub.database.url");
    }

    @Test
    void schemaNamesThatCouldInjectSqlAreRefused() {
        SchemaDataSources dataSources = new SchemaDataSources(unreachable, 2);

        assertThatThrownBy(() -> dataSources.forSchema("fhir; DROP SCHEMA public"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> dataSources.forSchema("Upper"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
