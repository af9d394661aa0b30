package org.medhub.platform.devmode;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Prints the refusal as Spring Boot's "APPLICATION FAILED TO START" report, without a stack trace. */
class DevMaterialFailureAnalyzer extends AbstractFailureAnalyzer<DevMaterialRefused> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, DevMaterialRefused cause) {
        return new FailureAnalysis(DevMaterialRefused.description(cause.found()), DevMaterialRefused.ADVICE, cause);
    }
}
