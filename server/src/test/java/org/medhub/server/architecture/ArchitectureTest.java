package org.medhub.server.architecture;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.freeze.FreezingArchRule;

/**
 * The architecture of {@code ARCHITECTURE.md} as tests, over every module's main classes (this
 * module's test classpath holds them all). A rule that today's code breaks while the fix is under
 * way is frozen ({@link FreezingArchRule}): the violations it records in
 * {@code src/test/resources/archunit-violations/} may shrink but not grow; a fix removes its lines
 * from the store on the next run, and once the store is empty the rule can lose its freezing.
 *
 * <p>The rules run from methods, not {@code @ArchTest} fields: surefire's {@code -Dtest=} filter
 * selects methods and would silently skip fields.
 */
@AnalyzeClasses(packages = "org.medhub", importOptions = MedHubProductionClasses.class)
class ArchitectureTest {

    /**
     * Compile dependencies: platform is used by every module, ml-engine by cds-hooks, and the
     * all-in-one server by none; no other module reaches into another (they talk FHIR REST,
     * DICOMweb or ml-engine's Java API).
     */
    private static final ArchRule MODULES_DEPEND_AS_THE_CONTRACT_SAYS = layeredArchitecture().consideringOnlyDependenciesInLayers()
            .layer("platform").definedBy("org.medhub.platform..")
            .layer("fhir-server").definedBy("org.medhub.fhir..")
            .layer("dicomweb-server").definedBy("org.medhub.dicomweb..")
            .layer("viewer").definedBy("org.medhub.viewer..")
            .layer("ml-engine").definedBy("org.medhub.ml..")
            .layer("cds-hooks").definedBy("org.medhub.cdshooks..")
            .layer("server").definedBy("org.medhub.server..")
            .whereLayer("server").mayNotBeAccessedByAnyLayer()
            .whereLayer("cds-hooks").mayOnlyBeAccessedByLayers("server")
            .whereLayer("ml-engine").mayOnlyBeAccessedByLayers("cds-hooks", "server")
            .whereLayer("viewer").mayOnlyBeAccessedByLayers("server")
            .whereLayer("dicomweb-server").mayOnlyBeAccessedByLayers("server")
            .whereLayer("fhir-server").mayOnlyBeAccessedByLayers("server")
            .whereLayer("platform").mayOnlyBeAccessedByLayers(
                    "fhir-server", "dicomweb-server", "viewer", "ml-engine", "cds-hooks", "server");

    @ArchTest
    void modulesDependAsTheContractSays(JavaClasses classes) {
        MODULES_DEPEND_AS_THE_CONTRACT_SAYS.check(classes);
    }

    /** The DICOM toolkit stays behind one package, so that it can be replaced (dcm4che, say) in one place. */
    private static final ArchRule PIXELMED_ONLY_IN_DICOMWEBS_DICOM_PACKAGE = noClasses()
            .that().resideOutsideOfPackage("org.medhub.dicomweb.dicom..")
            .should().dependOnClassesThat().resideInAPackage("com.pixelmed..")
            .because("PixelMed calls stay inside dicomweb-server's dicom package (ARCHITECTURE.md, DICOM toolkit)");

    @ArchTest
    void pixelMedOnlyInDicomwebsDicomPackage(JavaClasses classes) {
        PIXELMED_ONLY_IN_DICOMWEBS_DICOM_PACKAGE.check(classes);
    }

    /**
     * No cycles between the feature packages of a module ({@code org.medhub.<module>.<feature>..});
     * a module's root package (its auto-configuration) may wire them all. Frozen: dicomweb-server's
     * deid, dicom, stow, web, index and store packages are being untangled (issue 15 item 3).
     */
    private static final ArchRule NO_CYCLES_BETWEEN_FEATURE_PACKAGES = FreezingArchRule.freeze(
            slices().matching("org.medhub.(*).(*)..").namingSlices("$1.$2").should().beFreeOfCycles());

    @ArchTest
    void noCyclesBetweenFeaturePackages(JavaClasses classes) {
        NO_CYCLES_BETWEEN_FEATURE_PACKAGES.check(classes);
    }

    /** Controllers take requests and call services; one controller calling another hides a use case. */
    private static final ArchRule CONTROLLERS_DO_NOT_CALL_CONTROLLERS = FreezingArchRule.freeze(
            noClasses().that(WebControllers.CONTROLLER).should(WebControllers.dependOnAnotherController()));

    @ArchTest
    void controllersDoNotCallControllers(JavaClasses classes) {
        CONTROLLERS_DO_NOT_CALL_CONTROLLERS.check(classes);
    }

    /**
     * cds-hooks uses ml-engine through its facade only: the public types of ml-engine's root package
     * {@code org.medhub.ml} (the engine's Java API and its auto-configuration), not its feature
     * packages. Frozen: cds-hooks still imports cohort, explain, predict, prepare, registry and
     * feedback types while the facade is written (issue 15 items 1 and 2).
     */
    private static final ArchRule CDS_HOOKS_USES_ONLY_THE_ML_FACADE = FreezingArchRule.freeze(noClasses()
            .that().resideInAPackage("org.medhub.cdshooks..")
            .should().dependOnClassesThat(resideInAPackage("org.medhub.ml..").and(not(resideInAPackage("org.medhub.ml"))))
            .as("cds-hooks depends on ml-engine's facade (package org.medhub.ml) only"));

    @ArchTest
    void cdsHooksUsesOnlyTheMlFacade(JavaClasses classes) {
        CDS_HOOKS_USES_ONLY_THE_ML_FACADE.check(classes);
    }
}
