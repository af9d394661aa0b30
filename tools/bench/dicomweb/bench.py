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
import pydicom.filewriter
from pydicom.datadict import dictionary_VR, tag_for_keyword
from pydicom.filebase import DicomBytesIO

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

    def values(self, kind, study, series, number):
        """The attributes that make an instance distinct; study and series numbers decide the UIDs and patient."""
        code = 1 if kind == "ct" else 2
        sop_instance_uid = f"{self.root}.{code}.{study}.{series}.{number}"
        return {"SOPInstanceUID": sop_instance_uid,
                "StudyDate": f"2020{1 + study % 12:02d}{1 + study % 28:02d}",
                "AccessionNumber": f"A{code}{study:08d}",
                "PatientName": f"Bench^{'CT' if code == 1 else 'Index'}{study:06d}",
                "PatientID": f"BENCH{code}-{study:06d}",
                "StudyInstanceUID": f"{self.root}.{code}.{study}",
                "SeriesInstanceUID": f"{self.root}.{code}.{study}.{series}",
                "SeriesNumber": series,
                "InstanceNumber": number}, sop_instance_uid

    def shaped(self, kind):
        """The template with the pixels of `kind`: 'ct' (512x512) or 'index' (16x16)."""
        ds = self.template.copy()
        ds.file_meta = self.template.file_meta.copy()
        ds.Rows = ds.Columns = 512 if kind == "ct" else 16
        ds.PixelData = self.ct_pixels if kind == "ct" else self.small_pixels
        return ds

    def make(self, kind, study, series, number):
        ds = self.shaped(kind)
        values, sop_instance_uid = self.values(kind, study, series, number)
        for keyword, value in values.items():
            setattr(ds, keyword, value)
        ds.file_meta.MediaStorageSOPInstanceUID = sop_instance_uid
        out = io.BytesIO()
        ds.save_as(out, write_like_original=False)
        return out.getvalue()


class FastIndexInstances:
    """The same bytes as Instances.make("index", ...), about 20 times faster, for the 100,000 of a QIDO index.

    pydicom spends its time encoding the template's ~130 attributes; here the unchanging runs between the
    attributes of Instances.values are encoded once, and each instance encodes only those few and its file meta
    information. The constructor checks the result against Instances.make byte for byte."""

    def __init__(self, instances):
        self.instances = instances
        shaped = instances.shaped("index")
        self.file_meta = shaped.file_meta
        self.preamble = shaped.preamble or b"\0" * 128  # as pydicom writes it
        varying, _ = instances.values("index", 0, 1, 1)
        self.pieces = []  # encoded constant runs, each followed by the keyword encoded per instance (None last)
        run = pydicom.Dataset()
        for element in shaped:
            if element.keyword in varying:
                self.pieces.append((self._encoded(run), element.keyword))
                run = pydicom.Dataset()
            else:
                run.add(element)
        self.pieces.append((self._encoded(run), None))
        if self.make(7, 3, 11) != instances.make("index", 7, 3, 11):
            raise AssertionError("the fast index instances differ from pydicom's")

    @staticmethod
    def _buffer():
        buffer = DicomBytesIO()
        buffer.is_little_endian, buffer.is_implicit_VR = True, False  # the template's Explicit VR Little Endian
        return buffer

    @classmethod
    def _encoded(cls, dataset):
        buffer = cls._buffer()
        pydicom.filewriter.write_dataset(buffer, dataset)
        return buffer.getvalue()

    def make(self, study, series, number):
        values, sop_instance_uid = self.instances.values("index", study, series, number)
        meta = pydicom.dataset.FileMetaDataset(self.file_meta)
        meta.MediaStorageSOPInstanceUID = sop_instance_uid
        buffer = self._buffer()
        buffer.write(self.preamble + b"DICM")
        pydicom.filewriter.write_file_meta_info(buffer, meta)
        for constant, keyword in self.pieces:
            buffer.write(constant)
            if keyword is not None:
                pydicom.filewriter.write_data_element(
                    buffer, pydicom.DataElement(tag_for_keyword(keyword), dictionary_VR(keyword), values[keyword]))
        return buffer.getvalue()


def multipart(objects):
    body = io.BytesIO()
    for data in objects:
        body.write(f"--{BOUNDARY}\r\nContent-Type: application/dicom\r\n\r\n".encode())
        body.write(data)
        body.write(b"\r\n")
    body.write(f"--{BOUNDARY}--\r\n".encode())
    return body.getvalue()


def stow(server, objects):
    stow_body(server, multipart(objects))


def stow_body(server, body):
    status, answer = server.request("POST", "/studies", body, {
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


def load_index(servers, instances, total, studies, per_series, batch, clients):
    """`total` small instances in `studies` studies STOWed in requests of `batch` into each server alike.

    The request bodies are made once and sent to every server. The servers are loaded one after the other, each
    from `clients` threads, so each load time is the server's own. A study's instances are sent together, as a
    modality or PACS sends them, then the next study's; series hold up to `per_series` instances."""
    fast = FastIndexInstances(instances)
    per_study = -(-total // studies)
    started = time.perf_counter()
    bodies = []
    for start in range(0, total, batch):
        objects = []
        for n in range(start, min(start + batch, total)):
            within = n % per_study
            objects.append(fast.make(n // per_study, 1 + within // per_series, 1 + within))
        bodies.append(multipart(objects))
    print(f"{total} index instances made in {time.perf_counter() - started:.0f} s "
          f"({sum(len(body) for body in bodies) / 1e6:.0f} MB in {len(bodies)} requests)",
          file=sys.stderr, flush=True)
    for server in servers:
        started = time.perf_counter()
        load(server, bodies, clients)
        seconds = time.perf_counter() - started
        emit(test="load", server=server.name, instances=total, studies=studies, batch=batch, clients=clients,
             seconds=seconds, instances_per_s=total / seconds)
        count(server, "BENCH2-", studies, total)


def load(server, bodies, clients):
    """STOWs the multipart bodies from `clients` threads, reporting progress every tenth of them."""
    numbers = itertools.count(1)

    def send(body):
        stow_body(server, body)
        number = next(numbers)
        if number % max(1, len(bodies) // 10) == 0:
            print(f"{server.name}: {number} of {len(bodies)} index requests stored", file=sys.stderr, flush=True)

    with concurrent.futures.ThreadPoolExecutor(clients) as pool:
        list(pool.map(send, bodies))


def count(server, prefix, expected_studies, expected_instances):
    """Studies whose PatientID starts with `prefix` and their instances, as the server's QIDO-RS reports them
    (NumberOfStudyRelatedInstances), paged; fails unless they are the ones loaded."""
    studies = instances = 0
    offset = 0
    while True:
        status, body = server.request("GET", f"/studies?includefield=00201208&limit=500&offset={offset}",
                                      headers={"Accept": "application/dicom+json"})
        if status == 204 or (status == 200 and not body.strip()):
            break
        if status != 200:
            raise RuntimeError(f"{server.name}: QIDO count answered {status} with {body[:200]!r}")
        page = json.loads(body)
        if not page:
            break
        for study in page:
            if study.get("00100020", {}).get("Value", [""])[0].startswith(prefix):
                studies += 1
                instances += int(study["00201208"]["Value"][0])
        offset += len(page)
    emit(test="count", server=server.name, studies=studies, instances=instances)
    if (studies, instances) != (expected_studies, expected_instances):
        raise RuntimeError(f"{server.name}: QIDO reports {studies} studies with {instances} instances, "
                           f"not the {expected_studies} with {expected_instances} loaded")


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
    emit(test="qido", server=server.name, queries=queries, p50_ms=statistics.median(everything) * 1000,
         p95_ms=p95(everything) * 1000,
         per_form_p50_ms=[statistics.median(v) * 1000 for _, v in sorted(latencies.items())],
         per_form_p95_ms=[p95(v) * 1000 for _, v in sorted(latencies.items())])


def p95(values):
    return statistics.quantiles(values, n=20)[18]


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
    parser.add_argument("--index-batch", type=int, default=500, help="index instances per STOW request")
    parser.add_argument("--index-clients", type=int, default=4, help="concurrent index loaders per server")
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
        load_index(servers, instances, args.index_instances, args.index_studies, 25, args.index_batch,
                   args.index_clients)
    else:
        for repeat in range(args.repeats):
            for server in servers if repeat % 2 == 0 else reversed(servers):
                search(server, instances, args.index_studies, args.queries)


if __name__ == "__main__":
    main()
