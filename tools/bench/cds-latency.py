"""Load generator of tools/bench/cds-latency.sh (see there); arguments: base token patient requests service key_file."""
import base64, hashlib, json, statistics, sys, time, urllib.error, urllib.request, uuid
from concurrent.futures import ThreadPoolExecutor
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

base, token, patient, requests, service, key_file = sys.argv[1:7]
requests = int(requests)
key = serialization.load_pem_private_key(open(key_file, "rb").read(), None)
b64 = lambda b: base64.urlsafe_b64encode(b).rstrip(b"=").decode()
numbers = key.public_key().public_numbers()
jwk = {"crv": "P-384", "kty": "EC", "x": b64(numbers.x.to_bytes(48, "big")), "y": b64(numbers.y.to_bytes(48, "big"))}
# RFC 7638: the thumbprint of the required members, sorted, without whitespace.
kid = b64(hashlib.sha256(json.dumps(jwk, sort_keys=True, separators=(",", ":")).encode()).digest())
endpoint = f"{base}/cds-services/{service}"

def jwt():
    now = int(time.time())
    header = b64(json.dumps({"alg": "ES384", "typ": "JWT", "kid": kid}).encode())
    claims = b64(json.dumps({"iss": "medhub-dev-ehr", "aud": endpoint, "iat": now, "exp": now + 300,
                             "jti": str(uuid.uuid4())}).encode())
    r, s = decode_dss_signature(key.sign(f"{header}.{claims}".encode(), ec.ECDSA(hashes.SHA384())))
    return f"{header}.{claims}.{b64(r.to_bytes(48, 'big') + s.to_bytes(48, 'big'))}"

def get(url, auth):
    request = urllib.request.Request(url, headers={"Authorization": "Bearer " + auth, "Accept": "application/fhir+json"})
    return json.load(urllib.request.urlopen(request))

templates = next(s for s in get(f"{base}/cds-services", token)["services"] if s["id"] == service)["prefetch"]
prefetch = {k: get(f"{base}/fhir/" + t.replace("{{context.patientId}}", patient).replace("|", "%7C"), token)
            for k, t in templates.items()}

def call(with_prefetch):
    body = {"hook": "patient-view", "hookInstance": str(uuid.uuid4()), "context": {"patientId": patient, "userId": "Practitioner/bench"}}
    if with_prefetch:
        body["prefetch"] = prefetch
    else:
        body["fhirServer"] = f"{base}/fhir"
        body["fhirAuthorization"] = {"access_token": token, "token_type": "Bearer", "expires_in": 300,
                                     "scope": "user/*.rs", "subject": "bench"}
    request = urllib.request.Request(endpoint, data=json.dumps(body).encode(), method="POST",
                                     headers={"Content-Type": "application/json", "Authorization": "Bearer " + jwt()})
    start = time.perf_counter()
    try:
        with urllib.request.urlopen(request) as response:
            response.read()
            status = response.status
    except urllib.error.HTTPError as e:
        status = e.code
    return status, (time.perf_counter() - start) * 1000

def run(label, callers, with_prefetch):
    for _ in range(5):  # warm-up, not counted
        call(with_prefetch)
    with ThreadPoolExecutor(callers) as pool:
        results = list(pool.map(lambda _: call(with_prefetch), range(requests)))
    failed = sum(1 for status, _ in results if status != 200)
    times = sorted(ms for _, ms in results)
    q = statistics.quantiles(times, n=100, method="inclusive")
    print(f"{label:<32} n={len(times):<5} failed={failed:<3} p50={q[49]:7.1f} ms  p95={q[94]:7.1f} ms  p99={q[98]:7.1f} ms")

run("prefetch, 1 caller", 1, True)
run("prefetch, 20 concurrent callers", 20, True)
run("no prefetch (reads /fhir), 1 caller", 1, False)
