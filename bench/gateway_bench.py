"""The gateway's cost and its accuracy (issue 3), run by bench/run-all; prints a JSON summary.

Throughput: wrk on loopback against /api/years, alternating rounds between three `accidents serve
--threads 2` on the same datasheet: without a gateway; with `--gateway` and an API key on a plan too
large to refuse anything (so every request goes through the key lookup, the limits and the headers);
and the same with `--limits redis://` against a redis-server started here. The figure is the median
of the per-round ratios gateway/no gateway.

Accuracy: one client with a keep-alive connection sends requests evenly paced at 3x a plan's rate for
10 s and counts the 200s; the gateway should accept rate x 10 + burst. Plans: the original's
(rate 10, burst 2) and a larger one (rate 100, burst 20), with the in-process and the Redis store.
"""

import argparse
import http.client
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import time

from http_bench import free_port, start_accidents, stop, wait_for, wrk

GATEWAY_TOML = """\
keys_file = "keys.toml"

[plans.unlimited]
rate = 1000000000
burst = 1000000000

[plans.original]
rate = 10
burst = 2

[plans.larger]
rate = 100
burst = 20
"""
PLANS = {'original': (10, 2), 'larger': (100, 20)}


def create_key(binary, keys_file, name, plan):
    out = subprocess.run([binary, 'keys', 'create', '--name', name, '--plan', plan, '--keys', keys_file],
                         check=True, capture_output=True, text=True).stdout
    return out.strip().splitlines()[-1]


def start_redis(tmp):
    port = free_port()
    proc = subprocess.Popen(['redis-server', '--port', str(port), '--bind', '127.0.0.1', '--save', '',
                             '--appendonly', 'no', '--dir', tmp], stdout=subprocess.DEVNULL,
                            stderr=subprocess.STDOUT)

    def ready():
        if proc.poll() is not None:
            raise RuntimeError(f'redis-server exited with {proc.returncode}')
        try:
            with socket.create_connection(('127.0.0.1', port), timeout=1) as s:
                s.sendall(b'PING\r\n')
                return s.recv(16).startswith(b'+PONG')
        except OSError:
            return False

    wait_for(ready, 30, 'redis-server')
    return proc, port


def paced(port, key, per_second, seconds):
    """Requests evenly spaced at per_second for seconds on one keep-alive connection: status counts."""
    conn = http.client.HTTPConnection('127.0.0.1', port, timeout=10)
    counts = {}
    start = time.monotonic()
    n = int(per_second * seconds)
    for i in range(n):
        due = start + i / per_second
        delay = due - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        conn.request('GET', '/api/years', headers={'x-api-key': key})
        resp = conn.getresponse()
        resp.read()
        counts[resp.status] = counts.get(resp.status, 0) + 1
    elapsed = time.monotonic() - start
    conn.close()
    return counts, elapsed


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--accidents', required=True)
    ap.add_argument('--data', required=True)
    ap.add_argument('--tmp', required=True, help='an existing scratch folder')
    ap.add_argument('--raw', required=True, help='folder for wrk raw outputs')
    ap.add_argument('--workers', type=int, default=2)
    ap.add_argument('--wrk-threads', type=int, default=2)
    ap.add_argument('--connections', type=int, default=64)
    ap.add_argument('--seconds', type=int, default=10)
    ap.add_argument('--rounds', type=int, default=3)
    ap.add_argument('--accuracy-seconds', type=int, default=10)
    args = ap.parse_args()
    os.makedirs(args.raw, exist_ok=True)
    if not shutil.which('redis-server'):
        raise SystemExit('gateway_bench: redis-server is missing (Debian package redis-server); run scripts/install-deps')

    cfg = os.path.join(args.tmp, 'gateway.toml')
    with open(cfg, 'w') as f:
        f.write(GATEWAY_TOML)
    keys_file = os.path.join(args.tmp, 'keys.toml')
    keys = {plan: create_key(args.accidents, keys_file, f'bench-{plan}', plan)
            for plan in ('unlimited', 'original', 'larger')}

    procs = []
    try:
        redis, redis_port = start_redis(args.tmp)
        procs.append(redis)
        limits = f'redis://127.0.0.1:{redis_port}'
        servers = {}
        for name, extra in (('off', ()), ('gateway', ('--gateway', cfg)),
                            ('gateway_redis', ('--gateway', cfg, '--limits', limits))):
            proc, port = start_accidents(args.accidents, args.data, args.workers,
                                         os.path.join(args.tmp, f'accidents-{name}.log'), access_log=False,
                                         extra_args=extra)
            procs.append(proc)
            servers[name] = port

        url_plain = {'path': '/api/years', 'gzip': False}
        url_key = {'path': '/api/years', 'gzip': False, 'headers': [f'x-api-key: {keys["unlimited"]}']}
        urls = {'off': url_plain, 'gateway': url_key, 'gateway_redis': url_key}
        short = argparse.Namespace(**{**vars(args), 'seconds': 2})
        for name, port in servers.items():
            wrk(port, urls[name], short, os.path.join(args.raw, f'gateway-warmup-{name}.txt'))
        runs = {name: [] for name in servers}
        for round_no in range(1, args.rounds + 1):
            order = list(servers) if round_no % 2 else list(reversed(servers))
            for name in order:
                result = wrk(servers[name], urls[name], args, os.path.join(args.raw, f'gateway-round{round_no}-{name}.txt'))
                if result['non_2xx'] or result['socket_errors']:
                    raise RuntimeError(f'{name}: {result["non_2xx"]} non-2xx answers, {result["socket_errors"]} socket errors')
                runs[name].append(result)
                print(f'gateway round {round_no} {name:14} {result["requests_per_s"]:>10.0f} req/s',
                      file=sys.stderr, flush=True)

        accuracy = []
        for store in ('gateway', 'gateway_redis'):
            for plan, (rate, burst) in PLANS.items():
                counts, elapsed = paced(servers[store], keys[plan], 3 * rate, args.accuracy_seconds)
                accepted = counts.get(200, 0)
                expected = rate * args.accuracy_seconds + burst
                accuracy.append({'store': 'redis' if store == 'gateway_redis' else 'in-process', 'plan': plan,
                                 'rate': rate, 'burst': burst, 'sent_per_s': 3 * rate,
                                 'seconds': args.accuracy_seconds, 'elapsed_s': round(elapsed, 3),
                                 'accepted': accepted, 'throttled': counts.get(429, 0),
                                 'other': sum(v for k, v in counts.items() if k not in (200, 429)),
                                 'expected': expected, 'error': (accepted - expected) / expected})
                print(f'gateway accuracy {store:14} {plan:9} accepted {accepted} of {sum(counts.values())}'
                      f' (expected {expected})', file=sys.stderr, flush=True)
                # Let the bucket fill again before the next plan is measured on the same server.
                time.sleep(burst / rate + 0.5)
    finally:
        for proc in reversed(procs):
            stop(proc)

    summary = {}
    for name, results in runs.items():
        rates = [r['requests_per_s'] for r in results]
        summary[name] = {'requests_per_s': rates, 'requests_per_s_median': statistics.median(rates),
                         'latency_avg_ms_median': statistics.median(r['latency_avg_ms'] for r in results),
                         'latency_p99_ms_median': statistics.median(r['latency_p99_ms'] for r in results)}
    ratios = {}
    for name in ('gateway', 'gateway_redis'):
        per_round = [g / o for g, o in zip(summary[name]['requests_per_s'], summary['off']['requests_per_s'])]
        ratios[name] = {'ratios': per_round, 'ratio_median': statistics.median(per_round)}
    redis_version = subprocess.run(['redis-server', '--version'], capture_output=True, text=True).stdout.strip()
    print(json.dumps({
        'settings': {k: v for k, v in vars(args).items()
                     if k in ('workers', 'wrk_threads', 'connections', 'seconds', 'rounds', 'accuracy_seconds')},
        'redis_version': redis_version,
        'runs': summary,
        'ratios': ratios,
        'accuracy': accuracy,
    }, indent=1))
    return 0


if __name__ == '__main__':
    sys.exit(main())
