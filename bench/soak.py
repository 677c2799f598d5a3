"""Soak test (issue 12, item 3), run by hand or by bench/run-all --only soak; prints a JSON summary.

`accidents serve --threads 2 --gateway --limits redis://` on the datasheet, with a redis-server
started here, under wrk (2 threads, 256 connections, 60 s) sending a mix of requests with an API
key on a plan too large to refuse anything: cached `/query?year=` (a handful of years asked again and
again), uncached `/query` (random filters and limits, each asked about once), `/stats` group-bys,
CSV exports and 4xx requests (a bad parameter, an unknown route). Meanwhile the datasheet is
reloaded (SIGHUP) every 5 s. Reported: answers by class (5xx must be 0) counted by the wrk script,
socket errors (must be 0), p50/p99 latency, and the server's RSS once a second: at the start
(dataset loaded), at 10 s, 30 s and the end, and its growth over the last 30 s. The bound the
configuration implies is the answer cache (256 MiB) + the RSS with the dataset loaded + 64 MiB
(threads, buffers, allocator slack: the documented constant).
"""

import argparse
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import threading
import time

from gateway_bench import create_key, start_redis
from http_bench import start_accidents, stop

GATEWAY_TOML = """\
keys_file = "keys.toml"

[plans.unlimited]
rate = 1000000000
burst = 1000000000
"""
CACHE_BYTES = 256 << 20  # api::Service::Options::cache_bytes, the answer cache's bound
CONSTANT_BYTES = 64 << 20

WRK_SCRIPT = """\
local paths = {%(paths)s}
counts = {} -- a global: done() reads each thread's with thread:get
wrk.headers["x-api-key"] = "%(key)s"
wrk.headers["Accept-Encoding"] = "gzip"
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) counts = {c2 = 0, c3 = 0, c4 = 0, c5 = 0} end
function request() return wrk.format("GET", paths[math.random(#paths)]) end
function response(status, headers, body)
  local class = "c" .. math.floor(status / 100)
  counts[class] = (counts[class] or 0) + 1
end
function done(summary, latency, requests)
  local total = {c2 = 0, c3 = 0, c4 = 0, c5 = 0}
  for _, t in ipairs(threads) do
    local c = t:get("counts")
    for k, v in pairs(c) do total[k] = (total[k] or 0) + v end
  end
  io.write(string.format("STATUS 2xx=%%d 3xx=%%d 4xx=%%d 5xx=%%d\\n", total.c2, total.c3, total.c4, total.c5))
  io.write(string.format("LATENCY p50=%%.3f p99=%%.3f ms\\n", latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
"""


def request_mix(seed):
    """The paths wrk picks from at random: the share of each kind is its share of the list."""
    rnd = random.Random(seed)
    makes = ['cessna', 'piper', 'beech', 'boeing', 'bell', 'mooney', 'cirrus', 'robinson']
    paths = []
    paths += [f'/api/query?year={y}' for y in (1982, 1995, 2008, 2015)] * 100  # cached after the first
    paths += [f'/api/query?year={rnd.randint(1982, 2018)}&Make={rnd.choice(makes)}&limit={rnd.randint(1, 500)}'
              for _ in range(300)]  # about once each: uncached
    paths += [f'/api/stats?group_by={g}' for g in ('year', 'Make', 'Injury.Severity', 'Country')] * 20
    paths += [f'/api/stats?group_by=Make&Make={rnd.choice(makes)}&from={rnd.randint(1982, 2018)}-01-01'
              for _ in range(50)]
    paths += [f'/api/query?year={y}&format=csv' for y in (1990, 2005)] * 20
    paths += ['/api/query?year=abc', '/api/query?limit=-1', '/api/nope', '/api/stats?group_by=nope'] * 10
    paths.append('/api/years')
    return paths


def rss_bytes(pid):
    with open(f'/proc/{pid}/status') as f:
        return int(re.search(r'VmRSS:\s+(\d+) kB', f.read()).group(1)) * 1024


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--accidents', required=True)
    ap.add_argument('--data', required=True)
    ap.add_argument('--tmp', required=True, help='an existing scratch folder')
    ap.add_argument('--seconds', type=int, default=60)
    ap.add_argument('--connections', type=int, default=256)
    ap.add_argument('--reload-every', type=float, default=5)
    args = ap.parse_args()
    if not shutil.which('redis-server') or not shutil.which('wrk'):
        raise SystemExit('soak: redis-server and wrk are needed (scripts/install-deps)')
    args.tmp = os.path.join(args.tmp, 'soak')  # beside what other benchmarks leave in the folder
    os.makedirs(args.tmp, exist_ok=True)
    cfg = os.path.join(args.tmp, 'gateway.toml')
    with open(cfg, 'w') as f:
        f.write(GATEWAY_TOML)
    key = create_key(args.accidents, os.path.join(args.tmp, 'keys.toml'), 'soak', 'unlimited')
    script = os.path.join(args.tmp, 'soak.lua')
    with open(script, 'w') as f:
        f.write(WRK_SCRIPT % {'paths': ', '.join(json.dumps(p) for p in request_mix(12)), 'key': key})

    procs = []
    try:
        redis, redis_port = start_redis(args.tmp)
        procs.append(redis)
        log = os.path.join(args.tmp, 'accidents-soak.log')
        server, port = start_accidents(args.accidents, args.data, 2, log, access_log=False,
                                       extra_args=('--gateway', cfg, '--limits', f'redis://127.0.0.1:{redis_port}'))
        procs.append(server)
        rss_loaded = rss_bytes(server.pid)
        samples, reloads = [], []
        done = threading.Event()

        def sample():
            start = time.monotonic()
            next_reload = args.reload_every
            while not done.wait(1):
                at = time.monotonic() - start
                samples.append((round(at, 1), rss_bytes(server.pid)))
                if at >= next_reload:
                    server.send_signal(signal.SIGHUP)
                    reloads.append(round(at, 1))
                    next_reload += args.reload_every

        sampler = threading.Thread(target=sample)
        sampler.start()
        cmd = ['wrk', '-t2', f'-c{args.connections}', f'-d{args.seconds}s', '--latency', '--timeout', '10s', '-s', script,
               f'http://127.0.0.1:{port}/']
        text = subprocess.run(cmd, check=True, capture_output=True, text=True, timeout=args.seconds + 120).stdout
        done.set()
        sampler.join()
        alive = server.poll() is None
    finally:
        for proc in reversed(procs):
            stop(proc)

    status = dict((k, int(v)) for k, v in re.findall(r'(\dxx)=(\d+)', text))
    p50, p99 = (float(x) for x in re.search(r'LATENCY p50=([\d.]+) p99=([\d.]+)', text).groups())
    m = re.search(r'Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)', text)
    socket_errors = sum(int(g) for g in m.groups()) if m else 0
    requests = int(re.search(r'(\d+) requests in', text).group(1))

    def rss_at(t):
        return min(samples, key=lambda s: abs(s[0] - t))[1]

    half = args.seconds / 2
    last_half = [r for t, r in samples if t >= half]
    bound = CACHE_BYTES + rss_loaded + CONSTANT_BYTES
    print(json.dumps({
        'settings': {'seconds': args.seconds, 'connections': args.connections, 'reload_every_s': args.reload_every,
                     'threads': 2, 'wrk_threads': 2},
        'command': ' '.join(cmd[:-1]),
        'requests': requests, 'status': status, 'socket_errors': socket_errors,
        'latency_p50_ms': p50, 'latency_p99_ms': p99, 'reloads': len(reloads), 'server_alive': alive,
        'rss_loaded_bytes': rss_loaded, 'rss_10s_bytes': rss_at(10), 'rss_half_bytes': rss_at(half),
        'rss_end_bytes': samples[-1][1], 'rss_max_bytes': max(r for _, r in samples),
        'rss_growth_last_half_bytes': max(last_half) - rss_at(half),
        'bound_bytes': bound, 'cache_bytes': CACHE_BYTES, 'constant_bytes': CONSTANT_BYTES,
        'rss_samples': samples,
    }, indent=1))
    return 0


if __name__ == '__main__':
    sys.exit(main())
