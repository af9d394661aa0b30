#!/usr/bin/python3
"""Markdown summary of bench.py's JSON lines: medians over repeats per server and the ratio first/second server."""
import json
import statistics
import sys

QIDO_FORMS = ("PatientID", "PatientName wildcard", "StudyDate range")


def main(results_file, first, second, machine):
    records = [json.loads(line) for line in open(results_file) if line.startswith("{")]

    def median(test, field, server, **match):
        values = [r[field] for r in records if r["test"] == test and r["server"] == server and field in r
                  and all(r.get(k) == v for k, v in match.items())]
        return (statistics.median(values), len(values)) if values else (None, 0)

    for record in records:  # the search forms of bench.py's search(), in its order
        for number, form in enumerate(QIDO_FORMS):
            for quantile in ("p50", "p95"):
                if f"per_form_{quantile}_ms" in record:
                    record[f"{quantile}_ms {form}"] = record[f"per_form_{quantile}_ms"][number]

    rows = [("STOW-RS, 1 client", "stow", "instances_per_s", "instances/s", {"clients": 1}),
            ("STOW-RS, 1 client", "stow", "mb_per_s", "MB/s", {"clients": 1}),
            ("STOW-RS, 4 clients", "stow", "instances_per_s", "instances/s", {"clients": 4}),
            ("STOW-RS, 4 clients", "stow", "mb_per_s", "MB/s", {"clients": 4}),
            ("WADO-RS study retrieve", "wado", "mb_per_s", "MB/s", {}),
            ("QIDO-RS study search p50", "qido", "p50_ms", "ms (lower is better)", {}),
            ("QIDO-RS study search p95", "qido", "p95_ms", "ms (lower is better)", {})]
    rows += [(f"QIDO-RS by {form} {quantile}", "qido", f"{quantile}_ms {form}", "ms (lower is better)", {})
             for form in QIDO_FORMS for quantile in ("p50", "p95")]
    print(f"| measurement | unit | {first} | {second} | {first}/{second} | repeats |")
    print("|---|---|---|---|---|---|")
    for label, test, field, unit, match in rows:
        a, n = median(test, field, first, **match)
        b, _ = median(test, field, second, **match)
        if a is None or b is None:
            continue
        print(f"| {label} | {unit} | {a:.1f} | {b:.1f} | {a / b:.2f} | {n} |")
    loads = [r for r in records if r["test"] == "load"]
    queries = [r for r in records if r["test"] == "qido"]
    stows = [r for r in records if r["test"] == "stow"]
    print()
    if stows:
        print(f"STOW: {stows[0]['instances']} CT-sized instances per run ({stows[0]['bytes'] / 1e6:.0f} MB), "
              f"CT_small.dcm of pydicom's corpus tiled to 512x512x16 bit, new UIDs per instance.")
    if loads:
        load = {r["server"]: r for r in loads}
        counts = {r["server"]: r for r in records if r["test"] == "count"}
        print(f"QIDO: {loads[0]['instances']} small instances in {loads[0]['studies']} studies STOWed into each "
              f"server ({loads[0].get('batch', 50)} per request, {loads[0].get('clients', 2)} loaders; "
              + ", ".join(f"{name} in {r['seconds']:.0f} s" for name, r in load.items())
              + "; counted by QIDO-RS NumberOfStudyRelatedInstances: "
              + ", ".join(f"{name} {r['studies']} studies, {r['instances']} instances" for name, r in counts.items())
              + f") before the searches; {queries[0]['queries'] if queries else 0} study searches per repeat "
              "(PatientID, PatientName wildcard, StudyDate range).")
    print(f"Machine: {machine}")


if __name__ == "__main__":
    main(*sys.argv[1:5])
