#!/usr/bin/python3
"""DICOMweb load runs against two servers on the same data: STOW-RS ingest, QIDO-RS study search, WADO-RS retrieve.

Standard library plus Debian's python3-pydicom. Every instance is derived from CT_small.dcm of pydicom's test corpus
(a real CT slice, 128x128, 16 bit, Explicit VR Little Endian): CT-sized instances tile its pixels 4x4 to 512x512
(512 KiB of pixel data), index instances crop them to 16x16; each gets its own patient, study, series and SOP
Instance UIDs, derived from a run-specific root, so both servers receive byte-identical objects and nothing is
deduplicated. Results go to stdout as JSON lines, one per measurement; report.py turns them into markdown.
"""
import argparse
import base64
import concurrent.futures
import http.client
import io
import itertools
import json
import os
import statistics
import sys
import threading
import time
import urllib.parse
import urllib.request

import pydicom

CT_SMALL = os.path.join(os.path.dirname(pydicom.__file__), "data", "test_files", "CT_small.dcm")
BOUNDARY = "medhub-bench-boundary"


class Server:
    """One DICOMweb endpoint and how to authenticate to it (a refreshed bearer token or basic auth)."""

    def __init__(self, name, base, token_url=None, user=None, password=None):
        self.name = name
        url = urllib.parse.urlsplit(base)
        self.host, self.port, self.path = url.hostname, url.port, url.path.rstrip("/")
        self.token_url, self.user, self.password = token_url, user, password
        self._token, self._token_time = None, 0.0
        self._lock = threading.Lock()

    def auth(self):
        if self.token_url is None:
            if self.user is None:
                return {}
            basic = base64.b64encode(f"{self.user}:{self.password}".encode()).decode()
            return {"Authorization": "Basic " + basic}
        with self._lock:
            # Tokens of the dev realm live 5 minutes; take a new one well before.
            if self._token is None or time.time() - self._token_time > 120:
                form = urllib.parse.urlencode({"grant_type": "password", "client_id": "medhub-cli",
                                               "username": self.user, "password": self.password}).encode()
                with urllib.request.urlopen(self.token_url, form, timeout=60) as answer:
                    self._token = json.load(answer)["access_token"]
                self._token_time = time.time()
            return {"Authorization": "Bearer " + self._token}

    def request(self, method, path, body=None, headers=None):
        """One request on a fresh connection; returns (status, body bytes)."""
        connection = http.client.HTTPConnection(self.host, self.port, timeout=600)
        try:
            connection.request(method, self.path + path, body=body, headers={**self.auth(), **(headers or {})})
            answer = connection.getresponse()
            return answer.status, answer.read()
        finally:
            connection.close()


class Instances:
    """Distinct instances made from CT_small.dcm; the same (run, kind, number) gives the same bytes."""

    def __init__(self, run):
        self.template = pydicom.dcmread(CT_SMALL)
        self.root = f"1.2.826.0.1.3680043.10.1189.{run}"
        pixels = self.template.PixelData
        rows = [pixels[r * 256:(r + 1) * 256] for r in range(128)]
        self.ct_pixels = b"".join(row * 4 for _ in range(4) for row in rows)
        self.small_pixels = b"".join(row[:32] for row in rows[:16])

    def make(self, kind, study, series, number):
        """kind 'ct' (512x512) or 'index' (16x16); study and series numbers decide the UIDs and patient."""
        ds = self.template.copy()
        ds.file_meta = self.template.file_meta.copy()
        code = 1 if kind == "ct" else 2
        ds.PatientID = f"BENCH{code}-{study:06d}"
        ds.PatientName = f"Bench^{'CT' if code == 1 else 'Index'}{study:06d}"
        ds.StudyInstanceUID = f"{self.root}.{code}.{study}"
        ds.SeriesInstanceUID = f"{self.root}.{code}.{study}.{series}"
        ds.SOPInstanceUID = f"{self.root}.{code}.{study}.{series}.{number}"
        ds.file_meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
        ds.StudyDate = f"2020{1 + study % 12:02d}{1 + study % 28:02d}"
        ds.AccessionNumber = f"A{code}{study:08d}"
        ds.SeriesNumber = series
        ds.InstanceNumber = number
        if kind == "ct":
            ds.Rows = ds.Columns = 512
            ds.PixelData = self.ct_pixels
        else:
            ds.Rows = ds.Columns = 16
            ds.PixelData = self.small_pixels
        out = io.BytesIO()
        ds.save_as(out, write_like_original=False)
        return out.getvalue()


def multipart(objects):
    body = io.BytesIO()
    for data in objects:
        body.write(f"--{BOUNDARY}\r\nContent-Type: application/dicom\r\n\r\n".encode())
        body.write(data)
        body.write(b"\r\n")
    body.write(f"--{BOUNDARY}--\r\n".encode())
    return body.getvalue()


def stow(server, objects):
    status, answer = server.request("POST", "/studies", multipart(objects), {
        "Content-Type": f'multipart/related; type="application/dicom"; boundary={BOUNDARY}',
        "Accept": "application/dicom+json"})
    if status != 200:
        raise RuntimeError(f"{server.name}: STOW answered {status}: {answer[:300]!r}")


def emit(**record):
    print(json.dumps(record), flush=True)


def ingest(server, instances, clients, count, batch, repeat):
    """STOW `count` CT instances in requests of `batch`, from `clients` threads; one study per repeat."""
    study = 1000 * clients + repeat
    batches = [[instances.make("ct", study, 1 + b % 4, b * batch + i + 1) for i in range(batch)]
               for b in range(count // batch)]
    size = sum(len(o) for objects in batches for o in objects)
    started = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(clients) as pool:
        list(pool.map(lambda objects: stow(server, objects), batches))
    seconds = time.perf_counter() - started
    emit(test="stow", server=server.name, clients=clients, repeat=repeat, instances=count, bytes=size,
         seconds=seconds, instances_per_s=count / seconds, mb_per_s=size / seconds / 1e6)
    return f"{instances.root}.1.{study}"


def retrieve(server, study_uid, repeat):
    started = time.perf_counter()
    status, body = server.request("GET", f"/studies/{study_uid}",
                                  headers={"Accept": 'multipart/related; type="application/dicom"'})
    seconds = time.perf_counter() - started
    if status != 200:
        raise RuntimeError(f"{server.name}: WADO-RS answered {status}")
    emit(test="wado", server=server.name, repeat=repeat, bytes=len(body), seconds=seconds,
         mb_per_s=len(body) / seconds / 1e6)


def load_index(servers, instances, total, studies, per_series, batch, clients, budget):
    """Up to `total` small instances STOWed in batches to every server alike, until `budget` seconds are spent.

    Instance n goes to study n % studies, so every study exists as soon as the first `studies` instances are in
    and a load cut short by the budget still leaves the same index on each server."""
    def batch_of(start):
        objects = []
        for n in range(start, min(start + batch, total)):
            within = n // studies
            objects.append(instances.make("index", n % studies, 1 + within // per_series, 1 + within))
        return objects

    def load(start):
        objects = batch_of(start)
        for server in servers:
            stow(server, objects)
        return len(objects)

    started = time.perf_counter()
    done = 0
    starts = iter(range(0, total, batch))
    with concurrent.futures.ThreadPoolExecutor(clients) as pool:
        while time.perf_counter() - started < budget:
            wave = [pool.submit(load, start) for start in itertools.islice(starts, clients)]
            if not wave:
                break
            done += sum(f.result() for f in wave)
            if done % 5000 < batch * clients:
                print(f"{done} index instances loaded on each server", file=sys.stderr, flush=True)
    if done < studies:
        raise RuntimeError(f"only {done} index instances loaded in {budget} s, fewer than the {studies} studies")
    for server in servers:
        emit(test="load", server=server.name, instances=done, studies=studies,
             seconds=time.perf_counter() - started)


def search(server, instances, studies, queries):
    """Study-level QIDO-RS: by PatientID, by PatientName wildcard, by StudyDate range; latency per request."""
    forms = [lambda s: f"/studies?PatientID=BENCH2-{s:06d}",
             lambda s: f"/studies?PatientName=Bench*Index{s:06d}*",
             lambda s: f"/studies?StudyDate=2020{1 + s % 12:02d}{1 + s % 28:02d}-2020{1 + s % 12:02d}28&limit=50"]
    latencies = {}
    for q in range(queries):
        form = q % len(forms)
        path = forms[form]((q * 7919) % studies)
        started = time.perf_counter()
        status, body = server.request("GET", path, headers={"Accept": "application/dicom+json"})
        latencies.setdefault(form, []).append(time.perf_counter() - started)
        if status != 200 or not json.loads(body):
            raise RuntimeError(f"{server.name}: QIDO {path} answered {status} with {body[:200]!r}")
    everything = [t for values in latencies.values() for t in values]
    quantiles = statistics.quantiles(everything, n=20)
    emit(test="qido", server=server.name, queries=queries, p50_ms=statistics.median(everything) * 1000,
         p95_ms=quantiles[18] * 1000,
         per_form_p50_ms=[statistics.median(v) * 1000 for _, v in sorted(latencies.items())])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("phase", choices=["ingest", "index", "search"])
    parser.add_argument("--server", action="append", required=True,
                        help="name=base[,token_url][,user:password]; repeatable, runs alternate between servers")
    parser.add_argument("--run", default=str(int(time.time())), help="UID component that keeps runs apart")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--ct-instances", type=int, default=100)
    parser.add_argument("--batch", type=int, default=10)
    parser.add_argument("--index-instances", type=int, default=100000)
    parser.add_argument("--index-studies", type=int, default=2000)
    parser.add_argument("--index-clients", type=int, default=2)
    parser.add_argument("--index-seconds", type=float, default=1500, help="time budget of the index load")
    parser.add_argument("--queries", type=int, default=200)
    args = parser.parse_args()
    servers = []
    for spec in args.server:
        name, rest = spec.split("=", 1)
        fields = rest.split(",")
        token_url = fields[1] if len(fields) > 2 else None
        user, _, password = (fields[-1] if len(fields) > 1 else ":").partition(":")
        servers.append(Server(name, fields[0], token_url, user or None, password or None))
    instances = Instances(args.run)
    if args.phase == "ingest":
        for repeat in range(args.repeats):
            for clients in (1, 4):
                for server in servers if repeat % 2 == 0 else reversed(servers):
                    study_uid = ingest(server, instances, clients, args.ct_instances, args.batch, repeat)
                    if clients == 1:
                        retrieve(server, study_uid, repeat)
    elif args.phase == "index":
        load_index(servers, instances, args.index_instances, args.index_studies, 25, 50, args.index_clients,
                   args.index_seconds)
    else:
        for repeat in range(args.repeats):
            for server in servers:
                search(server, instances, args.index_studies, args.queries)


if __name__ == "__main__":
    main()
