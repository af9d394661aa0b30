package org.medhub.dicomweb.deid;

import java.util.function.Supplier;
import org.medhub.dicomweb.web.DicomwebAccess;
import org.springframework.security.access.AccessDeniedException;

/**
 * Which images a reader is shown (ARCHITECTURE.md security model): admins, clinicians and viewers
 * the identified ones, researchers the de-identified view when de-identification is on, anyone else
 * nothing. It sits in {@code deid}, beside the view it hands out, so that the access rules in
 * {@code web} need not know de-identification.
 */
public final class ReadAccess {

    private final DicomwebAccess access;
    private final Supplier<ResearcherView> researcherView;

    /** @param researcherView the de-identified view, or a supplier of null when de-identification is off */
    public ReadAccess(DicomwebAccess access, Supplier<ResearcherView> researcherView) {
        this.access = access;
        this.researcherView = researcherView;
    }

    /**
     * Reading images: null for callers who may read identified images (admin, clinician, viewer);
     * the de-identified view for researchers when de-identification is on; refused otherwise.
     */
    public ResearcherView readView() {
        if (access.mayReadIdentified()) {
            return null;
        }
        ResearcherView view = researcherView.get();
        if (view == null || !access.isResearcher()) {
            throw new AccessDeniedException("reading images needs the admin, clinician or viewer role, or the researcher"
                    + " role with de-identification on");
        }
        return view;
    }
}
