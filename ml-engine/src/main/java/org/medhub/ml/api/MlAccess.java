package org.medhub.ml.api;

import java.util.Arrays;
import java.util.Set;
import org.medhub.platform.security.MedHubRole;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * The ML permissions of the security model: researchers and admins train models and register versions,
 * clinicians and admins run predictions; only admins activate (what decision support scores patients
 * with) and delete, and only admins see exact small counts. A refusal is thrown as
 * {@link AccessDeniedException}, which the platform answers with 403 problem+json and audits.
 */
public enum MlAccess {
    TRAIN(MedHubRole.RESEARCHER, MedHubRole.ADMIN),
    PREDICT(MedHubRole.CLINICIAN, MedHubRole.ADMIN),
    READ_MODELS(MedHubRole.RESEARCHER, MedHubRole.CLINICIAN, MedHubRole.ADMIN),
    ACTIVATE(MedHubRole.ADMIN),
    DELETE(MedHubRole.ADMIN),
    /** Exact counts and ranges of cells smaller than {@code medhub.ml.min-cell-size}. */
    SEE_SMALL_CELLS(MedHubRole.ADMIN);

    private final Set<MedHubRole> roles;

    MlAccess(MedHubRole... roles) {
        this.roles = Set.copyOf(Arrays.asList(roles));
    }

    /** The caller's user name, once the caller is known to hold one of the roles. */
    public String require() {
        if (!granted()) {
            throw new AccessDeniedException("requires one of the roles " + roles);
        }
        return SecurityContextHolder.getContext().getAuthentication().getName();
    }

    /** Whether the caller holds one of the roles. */
    public boolean granted() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        return MedHubRole.of(authentication).stream().anyMatch(roles::contains);
    }
}
