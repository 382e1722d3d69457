"""The PyPI flink-rest-client as a benchmark worker: reads "seq N", "conc N", "list N" or "quit"
from stdin and prints "<microseconds per call (ms per list)> <cpu microseconds per call>".
The library has no status method: "seq" goes through its own request function for
GET /jobs/:id/status, as each of its methods does; "list" is its jobs.overview()."""
import sys
import time
from concurrent.futures import ThreadPoolExecutor

from flink_rest_client import FlinkRestClient
from flink_rest_client.common import _execute_rest_request

host, port, job = sys.argv[1], int(sys.argv[2]), sys.argv[3]
client = FlinkRestClient.get(host=host, port=port)
status_url = f"{client.api_url}/jobs/{job}/status"


def status():
    if _execute_rest_request(url=status_url)["status"] != "RUNNING":
        raise RuntimeError("unexpected status")


print("ready", flush=True)
pool = ThreadPoolExecutor(max_workers=32)
for line in sys.stdin:
    parts = line.split()
    if parts[0] == "quit":
        break
    n = int(parts[1])
    cpu0, t0 = time.process_time(), time.perf_counter()
    if parts[0] == "seq":
        for _ in range(n):
            status()
    elif parts[0] == "conc":
        list(pool.map(lambda _: status(), range(n)))
    elif parts[0] == "list":
        for _ in range(n):
            if not client.jobs.overview():
                raise RuntimeError("no jobs listed")
    wall, cpu = time.perf_counter() - t0, time.process_time() - cpu0
    print(f"{wall * 1e6 / n} {cpu * 1e6 / n}", flush=True)
