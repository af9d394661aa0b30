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
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import io.swagger.v3.oas.annotations.tags.Tag;

/**
 * CSV datasets: {@code POST /ml/api/datasets} with the file as a {@code text/csv} body and the spec as
 * query parameters ({@code target}, {@code positiveClass}, {@code exclude}, {@code numeric},
 * {@code categorical}, {@code range=age:18,110}, {@code subgroup=sex}, {@code subgroup=age:40,65}).
 * The answer reports each column's type (declared or inferred), missing values and categories.
 */
@RestController
@Tag(name = "Datasets", description = "CSV datasets with their spec and column report")
@RequestMapping("/ml/api/datasets")
class DatasetController {

    private final DatasetStore datasets;
    private final MlProperties properties;

    DatasetController(DatasetStore datasets, MlProperties properties) {
        this.datasets = datasets;
        this.properties = properties;
    }

    @PostMapping(consumes = {"text/csv", "text/plain", "application/octet-stream"})
    ResponseEntity<StoredDataset> upload(
            @RequestBody byte[] csv,
            @RequestParam String name,
            @RequestParam String target,
            @RequestParam(required = false) String positiveClass,
            @RequestParam(required = false) List<String> exclude,
            @RequestParam(required = false) List<String> numeric,
            @RequestParam(required = false) List<String> categorical,
            HttpServletRequest request) {
        String user = MlAccess.TRAIN.require();
        if (csv.length > properties.maxDatasetSize().toBytes()) {
            throw new MlProblems.PayloadTooLargeException("datasets are limited to " + properties.maxDatasetSize());
        }
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
        StoredDataset stored = datasets.save(name, csv, spec, user);
        return ResponseEntity.created(URI.create("/ml/api/datasets/" + stored.id())).body(stored);
    }

    @GetMapping("/{id}")
    StoredDataset describe(@PathVariable UUID id) {
        MlAccess.TRAIN.require();
        return datasets.describe(id);
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
            throw new IllegalArgumentException(what + " '" + parameter + "' must look like column:number,number");
        }
        List<Double> numbers = new ArrayList<>();
        for (String n : parameter.substring(colon + 1).split(",")) {
            try {
                numbers.add(Double.parseDouble(n.trim()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(what + " '" + parameter + "' has a value that is not a number: '" + n + "'");
            }
        }
        return numbers;
    }
}
