package org.medhub.ml.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.medhub.ml.MlProperties;
import org.medhub.ml.registry.Activation;
import org.medhub.ml.registry.ModelExchange;
import org.medhub.ml.registry.ModelRegistry;
import org.medhub.ml.registry.ModelVersion;
import org.medhub.ml.request.InvalidRequestException;
import org.medhub.ml.train.TrainingRequest;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The registry: list versions, read one (metrics, curves, subgroup report, card, provenance), export a
 * version as a model file and register a model file as a new version, activate (admins only, with a
 * reason kept in the activation history), delete. What decision support scores patients with is the
 * active version, so researchers propose (their trained or imported versions wait, state PROPOSED) and
 * admins activate. Exports carry training rows (the SHAP reference sample) and are audited.
 */
@RestController
@Tag(name = "Models", description = "Registered model versions; researchers propose, admins activate")
@RequestMapping("/ml/api/models")
class ModelController {

    private final ModelRegistry registry;
    private final ModelExchange exchange;
    private final MlProperties properties;
    private final MlAudit audit;
    private final SmallCells cells;
    private final ObjectMapper json;

    ModelController(ModelRegistry registry, ModelExchange exchange, MlProperties properties, MlAudit audit,
            SmallCells cells, ObjectMapper json) {
        this.registry = registry;
        this.exchange = exchange;
        this.properties = properties;
        this.audit = audit;
        this.cells = cells;
        this.json = json;
    }

    /** The body of an activation: why this version should now serve every patient. */
    record ActivationRequest(
            @Schema(description = "why this version replaces the active one; 1 to 500 characters, kept in the history",
                    requiredMode = Schema.RequiredMode.REQUIRED, maxLength = Activation.MAX_REASON_LENGTH)
            String reason) {}

    @GetMapping
    List<ModelVersion> list(@RequestParam(required = false) String name) {
        MlAccess.READ_MODELS.require();
        return registry.list(name);
    }

    @GetMapping("/{name}/versions/{version}")
    Map<String, Object> get(@PathVariable String name, @PathVariable int version) {
        MlAccess.READ_MODELS.require();
        return cells.modelDetails(registry.details(name, version));
    }

    @GetMapping(value = "/{name}/versions/{version}/model-card", produces = "text/markdown")
    ResponseEntity<String> modelCard(@PathVariable String name, @PathVariable int version) {
        MlAccess.READ_MODELS.require();
        String markdown = cells.modelCard(registry.details(name, version));
        return ResponseEntity.ok().contentType(MediaType.parseMediaType("text/markdown;charset=UTF-8")).body(markdown);
    }

    /** The version as a model file ({@value ModelExchange#FORMAT}) to register elsewhere or later. */
    @GetMapping(value = "/{name}/versions/{version}/export", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Export a version as a model file",
            description = "The file holds training rows (the SHAP reference sample); every export is audited.")
    ResponseEntity<ObjectNode> export(@PathVariable String name, @PathVariable int version, HttpServletRequest http) {
        MlAccess.TRAIN.require();
        ObjectNode document = exchange.export(name, version);
        audit.succeeded(http, MlAudit.Interaction.READ, "model " + name + " v" + version,
                "model file export of version " + document.at("/exportedFrom/id").asText()
                        + ", including its training reference sample");
        return ResponseEntity.ok()
                .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment()
                        .filename(name + "-v" + version + ".medhub-model.json").build().toString())
                .body(document);
    }

    /**
     * Registers a model file exported earlier as the next version of {@code name}: active only when an admin
     * imports it and no version of the name is active; otherwise a proposal for an admin to activate.
     */
    @PostMapping(value = "/{name}/versions", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Register a model file as the next version",
            description = "At most medhub.ml.max-model-file-size (413 beyond). A researcher's import is a proposal "
                    + "(state PROPOSED); only an admin's import of the first version of a name becomes active.")
    @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true,
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(type = "object")))
    ResponseEntity<ModelVersion> upload(@PathVariable String name, HttpServletRequest http) {
        String user = MlAccess.TRAIN.require();
        if (!name.matches(TrainingRequest.MODEL_NAME)) {
            throw new InvalidRequestException("model names are 1-63 lower-case letters, digits and '-', not '" + name + "'");
        }
        byte[] file = BoundedBody.read(http, properties.maxModelFileSize(), "the model file",
                "medhub.ml.max-model-file-size");
        JsonNode modelFile;
        try {
            modelFile = json.readTree(file);
        } catch (IOException e) {
            throw new InvalidRequestException("the model file is not JSON");
        }
        ModelVersion registered = exchange.importVersion(name, modelFile, user, MlAccess.ACTIVATE.granted());
        audit.succeeded(http, MlAudit.Interaction.CREATE, "model " + name + " v" + registered.version(),
                "model file imported as version " + registered.id() + " (" + registered.state() + ")");
        return ResponseEntity.created(java.net.URI.create("/ml/api/models/" + name + "/versions/" + registered.version()))
                .body(registered);
    }

    @PostMapping("/{name}/versions/{version}/activate")
    @Operation(summary = "Make a version the one that serves predictions and CDS Hooks (admin)",
            description = "Admins only (403 otherwise). The body {\"reason\": \"...\"} is required (400 without it); "
                    + "the activation is kept in GET /ml/api/models/{name}/activations and audited. "
                    + "409 when the version is already active.")
    @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true,
            content = @Content(schema = @Schema(implementation = ActivationRequest.class)))
    Activation activate(@PathVariable String name, @PathVariable int version,
            @RequestBody(required = false) ActivationRequest body, HttpServletRequest http) {
        // The role before the body: a researcher learns nothing from how a reason is judged.
        String admin = MlAccess.ACTIVATE.require();
        Activation activation = registry.activate(name, version, admin, body == null ? null : body.reason());
        audit.succeeded(http, MlAudit.Interaction.UPDATE, "model " + name + " v" + version,
                "activated version " + activation.modelVersionId() + (activation.replacedVersion() == null
                        ? " (no version was active)" : ", replacing v" + activation.replacedVersion())
                        + "; reason: " + activation.reason());
        return activation;
    }

    @GetMapping("/{name}/activations")
    @Operation(summary = "The activation history of a model, newest first",
            description = "Who made which version active, when, replacing which, and why.")
    List<Activation> activations(@PathVariable String name) {
        MlAccess.READ_MODELS.require();
        return registry.activations(name);
    }

    @DeleteMapping("/{name}/versions/{version}")
    ResponseEntity<Void> delete(@PathVariable String name, @PathVariable int version) {
        MlAccess.DELETE.require();
        registry.delete(name, version);
        return ResponseEntity.noContent().build();
    }
}
