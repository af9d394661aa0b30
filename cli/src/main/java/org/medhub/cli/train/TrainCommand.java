package org.medhub.cli.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.FileNotFoundException;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.net.http.HttpRequest.BodyPublishers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.medhub.cli.exit.CliFailure;
import org.medhub.cli.exit.ExitCode;
import org.medhub.cli.http.MedHubApi;
import org.medhub.cli.session.Session;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code train}: a CSV upload ({@code POST /ml/api/datasets}) or a FHIR cohort pull
 * ({@code POST /ml/api/datasets/fhir}, followed to its end) becomes a dataset, a training run on it
 * is started and followed, and the version it registered is printed with its held-out metrics.
 */
@Command(name = "train", sortOptions = false,
        description = {
            "Upload a CSV, or pull a FHIR cohort by its spec, into a dataset on the running server, train on it"
                    + " with a progress bar (Ctrl-C cancels the run), and print the new model version and its"
                    + " held-out metrics.",
            "A researcher's version waits as a proposal until an admin activates it; the first version an admin"
                    + " trains is active at once."},
        footer = {"", "Examples:",
            "  train --data cohort.csv --target event --positive-class yes --exclude id",
            "  train --fhir-spec config/ml/cvd-risk.yaml --algorithms LOGISTIC_REGRESSION,XGBOOST"})
public final class TrainCommand implements Callable<Integer> {

    /** The ML API's hyperparameter searches. */
    enum Search { GRID, RANDOM }

    @ParentCommand
    Session cli;

    @Option(names = "--data", paramLabel = "FILE.csv", description = "a CSV file with a header row")
    Path data;

    @Option(names = "--target", paramLabel = "COLUMN", description = "the CSV's outcome column (with --data)")
    String target;

    @Option(names = "--positive-class", paramLabel = "VALUE", description = "the target value that counts as positive")
    String positiveClass;

    @Option(names = "--exclude", paramLabel = "COLUMN", description = "a CSV column not to learn from (repeatable)")
    List<String> excludes = new ArrayList<>();

    @Option(names = "--fhir-spec", paramLabel = "FILE.yaml",
            description = "a cohort spec (e.g. config/ml/cvd-risk.yaml): the server pulls the cohort from /fhir")
    Path fhirSpec;

    @Option(names = "--model", paramLabel = "NAME",
            description = "the model to register a version of (default: the CSV's name, or the spec's model)")
    String model;

    @Option(names = "--algorithms", paramLabel = "A,B", split = ",",
            description = "candidate algorithms, e.g. LOGISTIC_REGRESSION,XGBOOST (default: the server's)")
    List<String> algorithms;

    @Option(names = "--folds", paramLabel = "N", description = "cross-validation folds (default: the server's)")
    Integer folds;

    @Option(names = "--search", paramLabel = "GRID|RANDOM", description = "hyperparameter search (default: the server's)")
    Search search;

    @Override
    public Integer call() {
        validate();
        MedHubApi api = cli.api();
        ObjectNode run = data != null ? uploadCsv(api) : pullCohort(api);
        if (algorithms != null) {
            run.set("algorithms", JsonNodeFactory.instance.arrayNode().addAll(algorithms.stream()
                    .map(JsonNodeFactory.instance::textNode).toList()));
        }
        if (folds != null) {
            run.put("folds", folds);
        }
        if (search != null) {
            run.put("search", search.name());
        }
        train(api, run);
        return ExitCode.OK;
    }

    private void validate() {
        if (data == null && fhirSpec == null) {
            throw badInput("train needs --data FILE.csv --target COLUMN, or --fhir-spec FILE.yaml");
        }
        if (data != null && fhirSpec != null) {
            throw badInput("give either --data or --fhir-spec, not both");
        }
        if (data != null && target == null) {
            throw badInput("--data needs --target COLUMN");
        }
        if (folds != null && folds < 0) {
            throw badInput("--folds must be a number, got '" + folds + "'");
        }
        Path file = data != null ? data : fhirSpec;
        if (!Files.isRegularFile(file)) {
            throw badInput("no such file: " + file);
        }
    }

    private ObjectNode uploadCsv(MedHubApi api) {
        PrintWriter out = cli.out();
        StringBuilder query = new StringBuilder("name=").append(encode(data.getFileName().toString()))
                .append("&target=").append(encode(target));
        if (positiveClass != null) {
            query.append("&positiveClass=").append(encode(positiveClass));
        }
        excludes.forEach(column -> query.append("&exclude=").append(encode(column)));
        out.println("Uploading " + data + " ...");
        out.flush();
        JsonNode dataset = api.post("/ml/api/datasets?" + query, "text/csv", file(data))
                .expect(201, "the dataset was refused").json();
        out.println(TrainingReport.dataset(dataset));
        ObjectNode run = JsonNodeFactory.instance.objectNode();
        run.put("datasetId", dataset.path("id").asText());
        run.put("modelName", model != null ? model : ModelName.fromCsv(data));
        return run;
    }

    private ObjectNode pullCohort(MedHubApi api) {
        PrintWriter out = cli.out();
        out.println("Pulling the FHIR cohort of " + fhirSpec + " ...");
        out.flush();
        JsonNode started = api.post("/ml/api/datasets/fhir", "application/yaml", file(fhirSpec))
                .expect(202, "the cohort spec was refused").json();
        JsonNode pull = new Job(api, "/ml/api/datasets/fhir/" + started.path("id").asText(), "cohort pull",
                cli.err(), cli.progressBar()).follow();
        out.println(TrainingReport.cohort(pull));
        if (!(pull.get("trainingRun") instanceof ObjectNode run)) {
            throw new CliFailure(ExitCode.FAILED, "the cohort pull named no training run: " + pull);
        }
        if (model != null) {
            run.put("modelName", model);
        }
        return run;
    }

    private void train(MedHubApi api, ObjectNode run) {
        PrintWriter out = cli.out();
        String name = run.path("modelName").asText();
        out.println("Training '" + name + "' ...");
        out.flush();
        JsonNode started = api.postJson("/ml/api/training-runs", run).expect(202, "the training run was refused").json();
        JsonNode finished = new Job(api, "/ml/api/training-runs/" + started.path("id").asText(), "training run",
                cli.err(), cli.progressBar()).follow();
        String versionId = finished.path("modelVersionId").asText();
        JsonNode versions = api.get("/ml/api/models?name=" + encode(name))
                .expect(200, "could not list the versions of " + name).json();
        String version = null;
        for (JsonNode candidate : versions) {
            if (candidate.path("id").asText().equals(versionId)) {
                version = candidate.path("version").asText();
            }
        }
        if (version == null) {
            throw new CliFailure(ExitCode.FAILED, "the training run registered " + versionId
                    + ", which is not among the versions of " + name);
        }
        JsonNode details = api.get("/ml/api/models/" + encode(name) + "/versions/" + version)
                .expect(200, "could not read " + name + " v" + version).json();
        TrainingReport.registered(details).forEach(out::println);
        out.flush();
    }

    private static java.net.http.HttpRequest.BodyPublisher file(Path path) {
        try {
            return BodyPublishers.ofFile(path);
        } catch (FileNotFoundException e) {
            throw badInput("no such file: " + path);
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static CliFailure badInput(String message) {
        return new CliFailure(ExitCode.BAD_INPUT, message + " (see ./medhub train --help)");
    }
}
