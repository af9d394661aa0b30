package org.medhub.fhir.persistence;

import ca.uhn.fhir.batch2.api.IJobMaintenanceService;
import ca.uhn.fhir.batch2.maintenance.JobMaintenanceServiceImpl;
import java.time.Duration;

/**
 * Sets how often HAPI's batch framework advances jobs (bulk export among them) from one step to the
 * next. Created as a singleton, so it runs before HAPI schedules that maintenance job on context
 * refresh, which is when HAPI reads the frequency.
 */
final class BatchStepInterval {

    private final Duration interval;

    BatchStepInterval(IJobMaintenanceService maintenance, Duration interval) {
        if (!(maintenance instanceof JobMaintenanceServiceImpl impl)) {
            throw new IllegalStateException("Unexpected HAPI batch maintenance service "
                    + maintenance.getClass().getName() + ": medhub.fhir.bulk-export.step-interval cannot be applied");
        }
        impl.setScheduledJobFrequencyMillis(interval.toMillis());
        this.interval = interval;
    }

    Duration interval() {
        return interval;
    }
}
