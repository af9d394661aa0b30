package org.medhub.ml.api;

import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.medhub.ml.MlProperties;
import org.medhub.ml.dataset.ColumnType;
import org.medhub.ml.dataset.DatasetSpec;
import org.medhub.ml.dataset.DatasetStore;
import org.medhub.ml.dataset.DatasetStore.StoredDataset;
import org.medhub.ml.request.InvalidRequestException;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.tags.Tag;

/**
 * CSV datasets: {@code POST /ml/api/datasets} with the file as a {@code text/csv} body and the spec as
 * query parameters ({@code target}, {@code positiveClass}, {@code exclude}, {@code numeric},
 * {@code categorical}, {@code range=age:18,110}, {@code subgroup=sex}, {@code subgroup=age:40,65}).
 * The answer reports each column's type (declared or inferred), missing values and categories; counts
 * and ranges of small cells are withheld from non-admins ({@link SmallCells}). The body is read with
 * {@code medhub.ml.max-dataset-size} enforced as it arrives ({@link BoundedBody}). Uploads (also refused
 * ones) and descriptions are audited: a dataset is data about patients.
 */
@RestController
@Tag(name = "Datasets", description = "CSV datasets with their spec and column report")
@RequestMapping("/ml/api/datasets")
class DatasetController {

    private final DatasetStore datasets;
    private final MlProperties properties;
    private final MlAudit audit;
    private final SmallCells cells;

    DatasetController(DatasetStore datasets, MlProperties properties, MlAudit audit, SmallCells cells) {
        this.datasets = datasets;
        this.properties = properties;
        this.audit = audit;
        this.cells = cells;
    }

    @PostMapping(consumes = {"text/csv", "text/plain", "application/octet-stream"})
    @RequestBody(description = "the CSV file (header row first), at most medhub.ml.max-dataset-size", required = true,
            content = @Content(mediaType = "text/csv", schema = @Schema(type = "string", format = "binary")))
    ResponseEntity<StoredDataset> upload(
            @RequestParam String name,
            @RequestParam String target,
            @RequestParam(required = false) String positiveClass,
            @RequestParam(required = false) List<String> exclude,
            @RequestParam(required = false) List<String> numeric,
            @RequestParam(required = false) List<String> categorical,
            HttpServletRequest request) {
        String user = MlAccess.TRAIN.require();
        try {
            StoredDataset stored = store(request, name, target, positiveClass, exclude, numeric, categorical, user);
            audit.succeeded(request, MlAudit.Interaction.CREATE, "dataset " + stored.id(), "CSV dataset '" + name
                    + "', " + stored.rows() + " rows, fingerprint " + stored.fingerprint());
            return ResponseEntity.created(URI.create("/ml/api/datasets/" + stored.id())).body(cells.dataset(stored));
        } catch (RuntimeException e) {
            if (!(e instanceof IllegalStateException)) {
                audit.refused(request, MlAudit.Interaction.CREATE, "CSV dataset '" + name + "'", e.getMessage());
            }
            throw e;
        }
    }

    private StoredDataset store(HttpServletRequest request, String name, String target, String positiveClass,
            List<String> exclude, List<String> numeric, List<String> categorical, String user) {
        byte[] csv = BoundedBody.read(request, properties.maxDatasetSize(), "the CSV", "medhub.ml.max-dataset-size");
        Map<String, ColumnType> types = new LinkedHashMap<>();
        MlProblems.nonNull(numeric).forEach(c -> types.put(c, ColumnType.NUMERIC));
        MlProblems.nonNull(categorical).forEach(c -> types.put(c, ColumnType.CATEGORICAL));
        Map<String, List<Double>> ranges = new LinkedHashMap<>();
        // Read raw: Spring would split "age:18,110" at the comma when binding to a list.
        for (String r : parameters(request, "range")) {
            ranges.put(column(r), numbers(r, "range"));
        }
        List<DatasetSpec.Subgroup> subgroups = new ArrayList<>();
        for (String s : parameters(request, "subgroup")) {
            subgroups.add(new DatasetSpec.Subgroup(column(s), s.contains(":") ? numbers(s, "subgroup") : List.of()));
        }
        DatasetSpec spec = new DatasetSpec(target, positiveClass, types, exclude, ranges, subgroups);
        return datasets.save(name, csv, spec, user);
    }

    @GetMapping("/{id}")
    StoredDataset describe(@PathVariable UUID id, HttpServletRequest request) {
        MlAccess.TRAIN.require();
        StoredDataset stored = datasets.describe(id);
        audit.succeeded(request, MlAudit.Interaction.READ, "dataset " + id, "description of dataset '" + stored.name()
                + "' (column report)");
        return cells.dataset(stored);
    }

    private static List<String> parameters(HttpServletRequest request, String name) {
        String[] values = request.getParameterValues(name);
        return values == null ? List.of() : List.of(values);
    }

    private static String column(String parameter) {
        int colon = parameter.indexOf(':');
        return colon < 0 ? parameter : parameter.substring(0, colon);
    }

    private static List<Double> numbers(String parameter, String what) {
        int colon = parameter.indexOf(':');
        if (colon < 0) {
            throw new InvalidRequestException(what + " '" + parameter + "' must look like column:number,number");
        }
        List<Double> numbers = new ArrayList<>();
        for (String n : parameter.substring(colon + 1).split(",")) {
            try {
                numbers.add(Double.parseDouble(n.trim()));
            } catch (NumberFormatException e) {
                throw new InvalidRequestException(what + " '" + parameter + "' has a value that is not a number: '" + n + "'");
            }
        }
        return numbers;
    }
}
