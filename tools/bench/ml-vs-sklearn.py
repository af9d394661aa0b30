#!/usr/bin/python3
"""MedHub's ML engine against scikit-learn on the same data, held-out rows, grid and folds.

Called by ml-vs-sklearn.sh with a running MedHub server. For each dataset: the held-out rows are
drawn once (stratified, seeded) and passed to MedHub as `testRows`; both sides then search the same
hyperparameter grid with stratified k-fold cross-validation on the remaining rows, pick the best
candidate by mean cross-validated AUC, refit it on the training rows and score it on the held-out
rows. Each full search is repeated and timed; the medians are reported. Finally the latency of
single `predict` and `explain` requests on MedHub's best model is measured. Prints Markdown.
"""

import argparse
import http.client
import json
import os
import statistics
import sys
import time
import urllib.parse

# Before NumPy/SciPy load: one native thread per fit, as MedHub gives XGBoost one thread per model
# and parallelises across candidates instead.
os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np  # noqa: E402
import sklearn  # noqa: E402
from sklearn.compose import ColumnTransformer  # noqa: E402
from sklearn.ensemble import ExtraTreesClassifier, HistGradientBoostingClassifier, RandomForestClassifier  # noqa: E402
from sklearn.impute import SimpleImputer  # noqa: E402
from sklearn.linear_model import SGDClassifier  # noqa: E402
from sklearn.metrics import roc_auc_score  # noqa: E402
from sklearn.model_selection import GridSearchCV, StratifiedKFold, train_test_split  # noqa: E402
from sklearn.pipeline import Pipeline  # noqa: E402
from sklearn.preprocessing import OneHotEncoder, StandardScaler  # noqa: E402

# The grid both sides search: MedHub's default grid per algorithm, sent explicitly so that a change
# of defaults cannot make the two sides differ silently.
GRIDS = {
    "LOGISTIC_REGRESSION": {"learningRate": [0.05, 0.2, 1.0], "epochs": [10, 30]},
    "RANDOM_FOREST": {"trees": [50, 100], "maxDepth": [4, 8], "featureFraction": [0.5, 0.8]},
    "EXTRA_TREES": {"trees": [50, 100], "maxDepth": [4, 8]},
    "XGBOOST": {"trees": [50, 100], "eta": [0.1, 0.3], "maxDepth": [3, 5]},
}

# How each MedHub grid point maps to scikit-learn, and where the algorithms differ.
MAPPING_NOTES = {
    "LOGISTIC_REGRESSION": "Tribuo LinearSGD, AdaGrad step `learningRate`, `epochs` passes, no penalty -> "
    "`SGDClassifier(log_loss, penalty=None, constant step eta0=learningRate, max_iter=epochs)`: "
    "scikit-learn has no AdaGrad (its default `LogisticRegression` uses lbfgs to convergence, which "
    "has no step size or epoch count to map)",
    "RANDOM_FOREST": "bagged CART, `featureFraction` of features per split, leaves of at least 5 rows "
    "(Tribuo's default), averaged class distributions -> `RandomForestClassifier(max_features=featureFraction, "
    "min_samples_leaf=5)`",
    "EXTRA_TREES": "Tribuo bags its extremely randomised trees (70 % of features per split) -> "
    "`ExtraTreesClassifier(bootstrap=True, max_features=0.7, min_samples_leaf=5)`",
    "XGBOOST": "XGBoost (exact/auto tree method, lambda 1, missing values learnt) -> scikit-learn has no "
    "XGBoost: `HistGradientBoostingClassifier(max_iter=trees, learning_rate=eta, max_depth, "
    "l2_regularization=1, no early stopping)`, which also learns where missing values go but bins features (255 bins)",
}


def estimator(algorithm, seed):
    """The scikit-learn estimator and the parameter grid mapped from MedHub's grid."""
    g = GRIDS[algorithm]
    if algorithm == "LOGISTIC_REGRESSION":
        model = SGDClassifier(loss="log_loss", penalty=None, learning_rate="constant", tol=None, random_state=seed)
        return model, {"model__eta0": g["learningRate"], "model__max_iter": g["epochs"]}
    if algorithm == "RANDOM_FOREST":
        model = RandomForestClassifier(min_samples_leaf=5, random_state=seed, n_jobs=1)
        return model, {"model__n_estimators": g["trees"], "model__max_depth": g["maxDepth"],
                       "model__max_features": g["featureFraction"]}
    if algorithm == "EXTRA_TREES":
        model = ExtraTreesClassifier(bootstrap=True, max_features=0.7, min_samples_leaf=5, random_state=seed, n_jobs=1)
        return model, {"model__n_estimators": g["trees"], "model__max_depth": g["maxDepth"]}
    model = HistGradientBoostingClassifier(max_leaf_nodes=None, l2_regularization=1.0, early_stopping=False,
                                           random_state=seed)
    return model, {"model__max_iter": g["trees"], "model__learning_rate": g["eta"], "model__max_depth": g["maxDepth"]}


def preprocessing(algorithm, numeric, categorical):
    """As MedHub prepares features: numeric standardised and mean-imputed (left missing for the
    boosted trees), categorical one-hot; refitted inside every fold by the pipeline."""
    numeric_steps = "passthrough" if algorithm == "XGBOOST" else Pipeline(
        [("impute", SimpleImputer(strategy="mean")), ("scale", StandardScaler())])
    return ColumnTransformer([("numeric", numeric_steps, numeric),
                              ("categorical", OneHotEncoder(handle_unknown="ignore"), categorical)])


# --- data -------------------------------------------------------------------------------------------

class Table:
    """A CSV both sides read: header, rows of strings ('' = missing), target and positive class."""

    def __init__(self, name, header, rows, target, positive, exclude=()):
        self.name, self.header, self.rows = name, header, rows
        self.target, self.positive, self.exclude = target, positive, list(exclude)
        self.y = np.array([r[header.index(target)] == positive for r in rows], dtype=int)

    def csv(self):
        return "\n".join(",".join(line) for line in [self.header] + self.rows) + "\n"

    def features(self):
        return [c for c in self.header if c != self.target and c not in self.exclude]


def cardiovascular(n, seed):
    """A cardiovascular-risk-like cohort drawn from a known logistic model; cholesterol, HDL and BMI
    are missing for some patients (more often for the young: not missing at random)."""
    rng = np.random.default_rng(seed)
    rows = []
    for i in range(n):
        age = int(rng.integers(30, 85))
        sex = "M" if rng.random() < 0.5 else "F"
        sbp = round(110 + 0.45 * (age - 30) + rng.normal(0, 15))
        smoker = rng.choice(["never", "former", "current"], p=[0.5, 0.3, 0.2])
        diabetes = "yes" if rng.random() < 0.08 + 0.002 * (age - 30) else "no"
        chol = round(rng.normal(5.2, 1.0), 1)
        hdl = round(max(0.5, rng.normal(1.5 if sex == "F" else 1.25, 0.35)), 2)
        bmi = round(rng.normal(27, 4.5), 1)
        logit = (-4.4 + 0.065 * (age - 30) + 0.018 * (sbp - 120) + (0.55 if sex == "M" else 0)
                 + {"never": 0, "former": 0.3, "current": 0.85}[smoker] + (0.7 if diabetes == "yes" else 0)
                 + 0.25 * (chol - 5.2) - 0.8 * (hdl - 1.35) + 0.03 * (bmi - 27) + 0.004 * (age - 50) * (sbp - 130) / 10)
        event = "yes" if rng.random() < 1 / (1 + np.exp(-logit)) else "no"
        missing = 0.18 if age < 45 else 0.06
        cells = [str(chol), str(hdl), str(bmi)]
        cells = ["" if rng.random() < missing else c for c in cells]
        rows.append([f"p{i}", str(age), sex, str(sbp), smoker, diabetes] + cells + [event])
    header = ["id", "age", "sex", "sbp", "smoker", "diabetes", "chol", "hdl", "bmi", "event"]
    return Table(f"synthetic cardiovascular ({n} rows, seed {seed})", header, rows, "event", "yes", ["id"])


def breast_cancer():
    """Wisconsin diagnostic breast cancer (569 rows, 30 numeric features), the copy that ships in
    scikit-learn's own package (Debian python3-sklearn), column names as scikit-learn gives them."""
    from sklearn.datasets import load_breast_cancer
    data = load_breast_cancer()
    names = [n.replace(" ", "_") for n in data.feature_names]
    classes = list(data.target_names)
    rows = [[repr(float(v)) for v in x] + [classes[t]] for x, t in zip(data.data, data.target)]
    return Table("breast cancer Wisconsin (569 rows, from scikit-learn's package)", names + ["diagnosis"], rows,
                 "diagnosis", "malignant")


# --- MedHub over HTTP -------------------------------------------------------------------------------

class MedHub:
    """A client of one MedHub server; tokens from Keycloak's password grant (dev users), renewed
    before they expire."""

    def __init__(self, base, realm):
        self.base = urllib.parse.urlsplit(base)
        self.realm = realm
        self.tokens = {}
        self.connection = http.client.HTTPConnection(self.base.hostname, self.base.port, timeout=600)

    def token(self, user):
        token, expires = self.tokens.get(user, (None, 0))
        if time.time() > expires - 60:
            body = urllib.parse.urlencode({"grant_type": "password", "client_id": "medhub-cli",
                                           "username": user, "password": user})
            url = urllib.parse.urlsplit(self.realm + "/protocol/openid-connect/token")
            c = http.client.HTTPConnection(url.hostname, url.port, timeout=60)
            c.request("POST", url.path, body, {"Content-Type": "application/x-www-form-urlencoded"})
            answer = json.loads(c.getresponse().read())
            c.close()
            token, expires = answer["access_token"], time.time() + answer["expires_in"]
            self.tokens[user] = (token, expires)
        return token

    def call(self, user, method, path, body=None, content_type="application/json"):
        """Status, parsed JSON body, seconds taken (on a kept-alive connection, as a client pool would)."""
        headers = {"Authorization": "Bearer " + self.token(user), "Accept": "application/json"}
        if body is not None:
            headers["Content-Type"] = content_type
            body = body if isinstance(body, (str, bytes)) else json.dumps(body)
        for attempt in (1, 2):
            try:
                started = time.perf_counter()
                self.connection.request(method, path, body, headers)
                response = self.connection.getresponse()
                payload = response.read()
                seconds = time.perf_counter() - started
                return response.status, (json.loads(payload) if payload else None), seconds
            except (ConnectionError, http.client.HTTPException):
                # The server closes an idle kept-alive connection (e.g. while scikit-learn trains):
                # open a new one and send again; only the answered attempt is timed.
                self.connection.close()
                if attempt == 2:
                    raise

    def expect(self, status, user, method, path, body=None, content_type="application/json"):
        got, answer, _ = self.call(user, method, path, body, content_type)
        if got != status:
            raise SystemExit(f"{method} {path} answered {got}, expected {status}: {json.dumps(answer)[:500]}")
        return answer


def upload(medhub, table):
    query = urllib.parse.urlencode([("name", table.name[:60]), ("target", table.target),
                                    ("positiveClass", table.positive)] + [("exclude", c) for c in table.exclude])
    return medhub.expect(201, "researcher", "POST", "/ml/api/datasets?" + query, table.csv(), "text/csv")


def train_medhub(medhub, dataset_id, model_name, test_rows, folds, seed):
    started = time.perf_counter()
    run = medhub.expect(202, "researcher", "POST", "/ml/api/training-runs", {
        "datasetId": dataset_id, "modelName": model_name, "algorithms": list(GRIDS), "search": "GRID",
        "folds": folds, "seed": seed, "selectionMetric": "AUC", "grids": GRIDS, "testRows": test_rows})
    searched = None
    while run["status"] in ("QUEUED", "RUNNING"):
        time.sleep(0.2)
        run = medhub.expect(200, "researcher", "GET", f"/ml/api/training-runs/{run['id']}")
        # 100 % = every cross-validation fit and every refit done; what follows is evaluation,
        # global SHAP importance and registration.
        if searched is None and run["percent"] >= 100:
            searched = time.perf_counter()
    finished = time.perf_counter()
    if run["status"] != "SUCCEEDED":
        raise SystemExit(f"MedHub training run {run['id']} ended {run['status']}: {run.get('error')}")
    details = medhub.expect(200, "researcher", "GET", f"/ml/api/models/{model_name}/versions/1")
    return {"seconds": (searched or finished) - started, "total_seconds": finished - started,
            "auc": details["metrics"]["heldOut"]["auc"], "algorithm": details["version"]["algorithm"],
            "hyperparameters": details.get("hyperparameters"),
            "by_algorithm": {a: e["auc"] for a, e in details["metrics"]["heldOutByAlgorithm"].items()}}


# --- scikit-learn -----------------------------------------------------------------------------------

def frame(table, columns):
    """Numeric matrix with NaN for missing values, categorical columns as strings."""
    import pandas as pd
    data = pd.DataFrame(table.rows, columns=table.header)[columns].replace("", np.nan)
    return data


def train_sklearn(table, numeric, categorical, train_rows, test_rows, folds, seed, jobs):
    data = frame(table, numeric + categorical)
    data[numeric] = data[numeric].astype(float)
    x_train, x_test = data.iloc[train_rows], data.iloc[test_rows]
    y_train, y_test = table.y[train_rows], table.y[test_rows]
    cv = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    started = time.perf_counter()
    results = {}
    for algorithm in GRIDS:
        model, grid = estimator(algorithm, seed)
        search = GridSearchCV(Pipeline([("prepare", preprocessing(algorithm, numeric, categorical)), ("model", model)]),
                              grid, scoring="roc_auc", cv=cv, n_jobs=jobs, refit=True)
        search.fit(x_train, y_train)
        results[algorithm] = (search.best_score_, roc_auc_score(y_test, search.predict_proba(x_test)[:, 1]),
                              search.best_params_)
    seconds = time.perf_counter() - started
    best = max(results, key=lambda a: results[a][0])
    return {"seconds": seconds, "auc": results[best][1], "algorithm": best, "hyperparameters": results[best][2],
            "by_algorithm": {a: r[1] for a, r in results.items()}}


# --- latency ----------------------------------------------------------------------------------------

def latency(medhub, model_name, inputs, endpoint, requests, warmup):
    """p50 and p99 (ms) of single sequential requests cycling through the given inputs."""
    times = []
    for i in range(warmup + requests):
        status, answer, seconds = medhub.call("clinician", "POST", f"/ml/api/models/{model_name}/{endpoint}",
                                              {"features": inputs[i % len(inputs)]})
        if status != 200:
            raise SystemExit(f"{endpoint} answered {status}: {json.dumps(answer)[:300]}")
        if i >= warmup:
            times.append(seconds * 1000)
    times.sort()
    return times[int(round(0.50 * (len(times) - 1)))], times[int(round(0.99 * (len(times) - 1)))]


def inputs_of(table, rows, numeric, categorical):
    """Prediction inputs from training rows (inside the ranges the schema accepts); missing = null."""
    result = []
    for r in rows:
        row = dict(zip(table.header, table.rows[r]))
        features = {c: (float(row[c]) if row[c] != "" else None) for c in numeric}
        features.update({c: (row[c] if row[c] != "" else None) for c in categorical})
        result.append(features)
    return result


# --- report -----------------------------------------------------------------------------------------

def compare(medhub, table, args, tag):
    stored = upload(medhub, table)
    # Column types as MedHub inferred and reported them, so that both sides treat each column alike.
    numeric = [c["name"] for c in stored["columns"] if c["type"] == "NUMERIC"]
    categorical = [c["name"] for c in stored["columns"] if c["type"] == "CATEGORICAL"]
    rows = np.arange(len(table.rows))
    train_rows, test_rows = train_test_split(rows, test_size=args.test_fraction, stratify=table.y,
                                             random_state=args.seed)
    train_rows, test_rows = sorted(train_rows.tolist()), sorted(test_rows.tolist())
    ours, theirs = [], []
    for repeat in range(args.repeats):
        ours.append(train_medhub(medhub, stored["id"], f"bench-{tag}-{repeat + 1}", test_rows, args.folds, args.seed))
        theirs.append(train_sklearn(table, numeric, categorical, train_rows, test_rows, args.folds, args.seed, args.jobs))
        print(f"{tag} repeat {repeat + 1}: MedHub {ours[-1]}\n  scikit-learn {theirs[-1]}", file=sys.stderr, flush=True)
    best_model = f"bench-{tag}-1"
    inputs = inputs_of(table, train_rows[:100], numeric, categorical)
    predict = latency(medhub, best_model, inputs, "predict", args.requests, args.warmup)
    explain = latency(medhub, best_model, inputs, "explain", args.requests, args.warmup)
    return {"table": table, "numeric": numeric, "categorical": categorical, "train": len(train_rows),
            "test": len(test_rows), "ours": ours, "theirs": theirs, "predict": predict, "explain": explain,
            "per_algorithm": latency_per_algorithm(medhub, stored["id"], tag, test_rows, inputs, args)}


def latency_per_algorithm(medhub, dataset_id, tag, test_rows, inputs, args):
    """Latency of each algorithm's largest grid point (the costliest model to explain: KernelSHAP for the
    forests, TreeSHAP for XGBoost, closed form for logistic regression), trained alone with 2 folds."""
    result = {}
    for algorithm, grid in GRIDS.items():
        name = f"latency-{tag}-{algorithm.lower().replace('_', '-')}"
        largest = {axis: [max(values)] for axis, values in grid.items()}
        run = medhub.expect(202, "researcher", "POST", "/ml/api/training-runs", {
            "datasetId": dataset_id, "modelName": name, "algorithms": [algorithm], "folds": 2, "seed": args.seed,
            "grids": {algorithm: largest}, "testRows": test_rows})
        while run["status"] in ("QUEUED", "RUNNING"):
            time.sleep(0.5)
            run = medhub.expect(200, "researcher", "GET", f"/ml/api/training-runs/{run['id']}")
        if run["status"] != "SUCCEEDED":
            raise SystemExit(f"training {name} ended {run['status']}: {run.get('error')}")
        result[algorithm] = ({a: v[0] for a, v in largest.items()},
                             latency(medhub, name, inputs, "predict", args.requests, args.warmup),
                             latency(medhub, name, inputs, "explain", args.requests, args.warmup))
        print(f"{tag} latency {algorithm}: {result[algorithm]}", file=sys.stderr, flush=True)
    return result


def report(results, args):
    median = statistics.median
    out = [f"# MedHub ML engine vs scikit-learn {sklearn.__version__}", "",
           f"Grid search over {sum(len(list_product(g)) for g in GRIDS.values())} candidates "
           f"({', '.join(GRIDS)}), stratified {args.folds}-fold CV on the training rows, best candidate by mean CV AUC, "
           f"scored on the same held-out rows ({args.test_fraction:.0%}, stratified, seed {args.seed}). "
           f"{args.repeats} repeats of each full search (medians). Parallelism: MedHub's worker pool "
           f"(one thread per core); scikit-learn `n_jobs={args.jobs}`. Machine: {os.cpu_count()} cores. "
           f"Latency: {args.requests} sequential requests after {args.warmup} warm-up, one kept-alive HTTP connection, "
           "clinician token, best model of repeat 1.", "",
           "| data | rows train/test | best MedHub (held-out AUC) | best scikit-learn (held-out AUC) | AUC difference "
           "| search MedHub s | search scikit-learn s | time ratio | predict p50/p99 ms | explain (SHAP) p50/p99 ms |",
           "|---|---|---|---|---|---|---|---|---|---|"]
    for r in results:
        ours, theirs = r["ours"], r["theirs"]
        auc_ours, auc_theirs = median(o["auc"] for o in ours), median(t["auc"] for t in theirs)
        s_ours, s_theirs = median(o["seconds"] for o in ours), median(t["seconds"] for t in theirs)
        out.append(f"| {r['table'].name} | {r['train']}/{r['test']} | {ours[0]['algorithm']} ({auc_ours:.4f}) "
                   f"| {theirs[0]['algorithm']} ({auc_theirs:.4f}) | {auc_ours - auc_theirs:+.4f} "
                   f"| {s_ours:.1f} | {s_theirs:.1f} | {s_ours / s_theirs:.2f} "
                   f"| {r['predict'][0]:.1f} / {r['predict'][1]:.1f} | {r['explain'][0]:.1f} / {r['explain'][1]:.1f} |")
    out += ["", "Held-out AUC of each algorithm's best candidate (repeat 1):", "",
            "| data | algorithm | MedHub | scikit-learn |", "|---|---|---|---|"]
    for r in results:
        for a in GRIDS:
            out.append(f"| {r['table'].name} | {a} | {r['ours'][0]['by_algorithm'][a]:.4f} "
                       f"| {r['theirs'][0]['by_algorithm'][a]:.4f} |")
    out += ["", f"Latency per algorithm ({args.requests} sequential requests each after {args.warmup} warm-up; "
            "each algorithm's largest grid point trained alone):", "",
            "| data | algorithm (hyperparameters) | predict p50/p99 ms | explain (SHAP) p50/p99 ms |", "|---|---|---|---|"]
    for r in results:
        for a, (point, p, e) in r["per_algorithm"].items():
            out.append(f"| {r['table'].name} | {a} ({', '.join(f'{k} {v:g}' for k, v in point.items())}) "
                       f"| {p[0]:.1f} / {p[1]:.1f} | {e[0]:.1f} / {e[1]:.1f} |")
    out += ["", "Search wall time per repeat (s), MedHub / scikit-learn (MedHub's whole run to the registered "
            "version in brackets):", ""]
    for r in results:
        out.append(f"- {r['table'].name}: " + ", ".join(
            f"{o['seconds']:.1f} ({o['total_seconds']:.1f}) / {t['seconds']:.1f}" for o, t in zip(r["ours"], r["theirs"])))
    out += ["", "What is timed: MedHub from sending `POST /ml/api/training-runs` until the run reports 100 % "
            "(every cross-validation fit and the refit of each algorithm's best candidate; polled every 0.2 s); "
            "the whole run additionally evaluates on the held-out rows, computes the subgroup report and global "
            "SHAP importance and registers the version. scikit-learn: the four `GridSearchCV` fits with refit "
            "and held-out scoring, in one process.", "", "How the grid maps:", ""]
    out += [f"- {a}: {note}" for a, note in MAPPING_NOTES.items()]
    out += ["- Both: numeric features standardised and mean-imputed inside each fold (left missing for the boosted "
            "trees), categorical one-hot. The held-out rows are identical (MedHub's `testRows`); the k folds are the "
            "same number of stratified folds of the same training rows, but each side draws its own fold assignment."]
    return "\n".join(out)


def list_product(grid):
    total = [{}]
    for name, values in grid.items():
        total = [dict(t, **{name: v}) for t in total for v in values]
    return total


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--base", required=True, help="MedHub base URL")
    parser.add_argument("--realm", required=True, help="Keycloak realm URL (dev users)")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--requests", type=int, default=500)
    parser.add_argument("--warmup", type=int, default=50)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--test-fraction", type=float, default=0.25)
    parser.add_argument("--rows", type=int, default=2000, help="rows of the synthetic cardiovascular table")
    parser.add_argument("--jobs", type=int, default=os.cpu_count(), help="scikit-learn n_jobs")
    parser.add_argument("--data", default="cvd,breast-cancer")
    args = parser.parse_args()
    medhub = MedHub(args.base, args.realm)
    tables = {"cvd": lambda: cardiovascular(args.rows, args.seed), "breast-cancer": breast_cancer}
    results = [compare(medhub, tables[name](), args, name) for name in args.data.split(",")]
    print(report(results, args))


if __name__ == "__main__":
    main()
