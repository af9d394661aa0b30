package org.medhub.fhir.persistence;

import ca.uhn.fhir.jpa.migrate.DriverTypeEnum;
import ca.uhn.fhir.jpa.migrate.HapiMigrator;
import ca.uhn.fhir.jpa.migrate.MigrationResult;
import ca.uhn.fhir.jpa.migrate.tasks.HapiFhirJpaMigrationTasks;
import ca.uhn.fhir.util.VersionEnum;
import java.util.Set;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates and upgrades the {@code fhir} schema with HAPI's own migration tasks (the same ones its
 * {@code migrate-database} command runs), so an upgrade of HAPI upgrades the schema the way HAPI
 * intends. Hibernate never changes the schema.
 */
final class FhirSchemaMigration {

    /** HAPI's ledger of applied migrations, in the {@code fhir} schema. */
    static final String LEDGER_TABLE = "FLY_HFJ_MIGRATION";

    private static final Logger log = LoggerFactory.getLogger(FhirSchemaMigration.class);

    private FhirSchemaMigration() {}

    static void migrate(DataSource dataSource) {
        HapiMigrator migrator = new HapiMigrator(LEDGER_TABLE, dataSource, DriverTypeEnum.POSTGRES_9_4);
        migrator.createMigrationTableIfRequired();
        migrator.addTasks(new HapiFhirJpaMigrationTasks(Set.of()).getAllTasks(VersionEnum.values()));
        long started = System.nanoTime();
        MigrationResult result = migrator.migrate();
        long millis = (System.nanoTime() - started) / 1_000_000;
        if (!result.failedTasks.isEmpty()) {
            throw new IllegalStateException("FHIR schema migration failed: " + result.summary());
        }
        if (result.succeededTasks.isEmpty()) {
            log.info("FHIR schema is up to date ({} ms)", millis);
        } else {
            log.info("FHIR schema migrated: {} tasks applied in {} ms", result.succeededTasks.size(), millis);
        }
    }
}
