"""The gateway's cost and its accuracy (issues 3 and 12), run by bench/run-all; prints a JSON summary.

Throughput: wrk on loopback against /api/years, alternating rounds between three `accidents serve
--threads 2` on the same datasheet: without a gateway; with `--gateway` and an API key on a plan too
large to refuse anything (so every request goes through the key lookup, the limits and the headers);
and the same with `--limits redis://` against a redis-server started here. The figures are the
medians of the per-round ratios gateway/no gateway and Redis/in-process, under two load shapes
(wrk -t2 -c64 and wrk -t1 -c32).

Accuracy: one client with a keep-alive connection sends requests evenly paced at 3x a plan's rate for
10 s and counts the 200s; the gateway should accept rate x 10 + burst. Plans: the original's
(rate 10, burst 2) and a larger one (rate 100, burst 20), with the in-process and the Redis store.

Several instances (issue 12), with a second `--limits redis://` server on the same Redis:
- both driven together at 3x a plan's rate for 10 s (each client at 1.5x): accepted in total vs
  rate x 10 + burst;
- a quota (20,000 a day, a bucket too large to refuse) spent by wrk on both at once: accepted in
  total vs the limit and the limit + 2 x --limits-overshoot;
- Redis killed 4 s into a 12 s paced run at 3x the larger plan's rate and restarted 4 s later on the
  same port: the answers other than 200 and 429 (none expected), and what was accepted in each phase
  (shared, each instance alone, shared again).
"""

import argparse
import http.client
import json
import math
import os
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time

from http_bench import free_port, parse_wrk, start_accidents, stop, wait_for, wrk

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

[plans.quota]
rate = 1000000000
burst = 1000000000
quota = { limit = 20000, period = "DAY" }
"""
PLANS = {'original': (10, 2), 'larger': (100, 20)}
QUOTA_LIMIT = 20000
# B of docs/gateway.md for the quota, with --limits-overshoot and --limits-overshoot-share at their defaults
OVERSHOOT = max(256, math.ceil(0.01 * QUOTA_LIMIT))
SHAPES = {'t2c64': (2, 64), 't1c32': (1, 32)}


def create_key(binary, keys_file, name, plan):
    out = subprocess.run([binary, 'keys', 'create', '--name', name, '--plan', plan, '--keys', keys_file],
                         check=True, capture_output=True, text=True).stdout
    return out.strip().splitlines()[-1]


def start_redis(tmp, port=None):
    port = port or free_port()
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


def paced_together(ports, key, per_second, seconds, log=None):
    """paced() on every port at once, per_second in total (split evenly, the clients staggered):
    status counts in total, and when each answer came if `log` is a list (seconds, status)."""
    results = [None] * len(ports)
    start = time.monotonic()

    def client(i):
        conn = http.client.HTTPConnection('127.0.0.1', ports[i], timeout=10)
        counts = {}
        each = per_second / len(ports)
        n = int(each * seconds)
        for j in range(n):
            due = start + (j + i / len(ports)) / each
            delay = due - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            try:
                conn.request('GET', '/api/years', headers={'x-api-key': key})
                resp = conn.getresponse()
                resp.read()
                status = resp.status
            except OSError:
                status = 'socket error'
                conn.close()
                conn = http.client.HTTPConnection('127.0.0.1', ports[i], timeout=10)
            counts[status] = counts.get(status, 0) + 1
            if log is not None:
                log.append((time.monotonic() - start, status))
        conn.close()
        results[i] = counts

    threads = [threading.Thread(target=client, args=(i,)) for i in range(len(ports))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    total = {}
    for counts in results:
        for status, n in counts.items():
            total[status] = total.get(status, 0) + n
    return total, time.monotonic() - start


def wrk_together(ports, key, seconds, raw_prefix):
    """wrk -t1 -c16 on every port at once with `key`: each run's parsed figures."""
    procs = []
    for i, port in enumerate(ports):
        cmd = ['wrk', '-t1', '-c16', f'-d{seconds}s', '-H', f'x-api-key: {key}', f'http://127.0.0.1:{port}/api/years']
        procs.append((cmd, subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)))
    out = []
    for i, (cmd, proc) in enumerate(procs):
        text, _ = proc.communicate(timeout=seconds + 60)
        with open(f'{raw_prefix}-{i}.txt', 'w') as f:
            f.write(' '.join(cmd) + '\n' + text)
        out.append(parse_wrk(text))
    return out

def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--accidents', required=True)
    ap.add_argument('--data', required=True)
    ap.add_argument('--tmp', required=True, help='an existing scratch folder')
    ap.add_argument('--raw', required=True, help='folder for wrk raw outputs')
    ap.add_argument('--workers', type=int, default=2)
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
            for plan in ('unlimited', 'original', 'larger', 'quota')}
    # Keys of their own for the runs on two instances, so that each starts with a full bucket.
    shared_keys = {plan: create_key(args.accidents, keys_file, f'bench-shared-{plan}', plan) for plan in PLANS}
    outage_key = create_key(args.accidents, keys_file, 'bench-outage', 'larger')

    procs = []
    try:
        redis, redis_port = start_redis(args.tmp)
        procs.append(redis)
        limits = f'redis://127.0.0.1:{redis_port}'
        servers = {}
        for name, extra in (('off', ()), ('gateway', ('--gateway', cfg)),
                            ('gateway_redis', ('--gateway', cfg, '--limits', limits)),
                            ('gateway_redis_2', ('--gateway', cfg, '--limits', limits))):
            proc, port = start_accidents(args.accidents, args.data, args.workers,
                                         os.path.join(args.tmp, f'accidents-{name}.log'), access_log=False,
                                         extra_args=extra)
            procs.append(proc)
            servers[name] = port

        url_plain = {'path': '/api/years', 'gzip': False}
        url_key = {'path': '/api/years', 'gzip': False, 'headers': [f'x-api-key: {keys["unlimited"]}']}
        urls = {'off': url_plain, 'gateway': url_key, 'gateway_redis': url_key}
        measured = ('off', 'gateway', 'gateway_redis')
        short = argparse.Namespace(**{**vars(args), 'seconds': 2, 'wrk_threads': 2, 'connections': 64})
        for name in measured:
            wrk(servers[name], urls[name], short, os.path.join(args.raw, f'gateway-warmup-{name}.txt'))
        runs = {shape: {name: [] for name in measured} for shape in SHAPES}
        for shape, (wrk_threads, connections) in SHAPES.items():
            shaped = argparse.Namespace(**{**vars(args), 'wrk_threads': wrk_threads, 'connections': connections})
            for round_no in range(1, args.rounds + 1):
                order = list(measured) if round_no % 2 else list(reversed(measured))
                for name in order:
                    result = wrk(servers[name], urls[name], shaped,
                                 os.path.join(args.raw, f'gateway-{shape}-round{round_no}-{name}.txt'))
                    if result['non_2xx'] or result['socket_errors']:
                        raise RuntimeError(f'{name}: {result["non_2xx"]} non-2xx answers, '
                                           f'{result["socket_errors"]} socket errors')
                    runs[shape][name].append(result)
                    print(f'gateway {shape} round {round_no} {name:14} {result["requests_per_s"]:>10.0f} req/s',
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

        pair = [servers['gateway_redis'], servers['gateway_redis_2']]
        together = []
        for plan, (rate, burst) in PLANS.items():
            counts, elapsed = paced_together(pair, shared_keys[plan], 3 * rate, args.accuracy_seconds)
            accepted = counts.get(200, 0)
            expected = rate * args.accuracy_seconds + burst
            together.append({'plan': plan, 'rate': rate, 'burst': burst, 'sent_per_s': 3 * rate,
                             'seconds': args.accuracy_seconds, 'elapsed_s': round(elapsed, 3), 'accepted': accepted,
                             'throttled': counts.get(429, 0),
                             'other': sum(v for k, v in counts.items() if k not in (200, 429)),
                             'expected': expected, 'error': (accepted - expected) / expected})
            print(f'gateway two instances {plan:9} accepted {accepted} of {sum(counts.values())} (expected {expected})',
                  file=sys.stderr, flush=True)

        quota_runs = wrk_together(pair, keys['quota'], 5, os.path.join(args.raw, 'gateway-quota'))
        quota_accepted = sum(r['requests'] - r['non_2xx'] for r in quota_runs)
        quota = {'limit': QUOTA_LIMIT, 'overshoot': OVERSHOOT, 'bound': QUOTA_LIMIT + 2 * OVERSHOOT,
                 'sent': sum(r['requests'] for r in quota_runs), 'accepted': quota_accepted,
                 'socket_errors': sum(r['socket_errors'] for r in quota_runs)}
        print(f'gateway quota on two instances: accepted {quota_accepted} of {quota["sent"]} '
              f'(limit {QUOTA_LIMIT}, bound {quota["bound"]})', file=sys.stderr, flush=True)

        # Redis killed 4 s into the run and restarted on the same port 4 s later.
        rate, burst = PLANS['larger']
        log = []
        driver = threading.Thread(target=lambda: paced_together(pair, outage_key, 3 * rate, 12, log))
        driver.start()
        time.sleep(4)
        redis.kill()  # as a crash would
        redis.wait()
        procs.remove(redis)
        time.sleep(4)
        redis, _ = start_redis(args.tmp, redis_port)
        procs.append(redis)
        driver.join()
        phases = {}
        for name, lo, hi in (('shared', 0, 4), ('redis_down', 4, 8), ('restarted', 8, 12), ('last_2s', 10, 12)):
            in_phase = [status for at, status in log if lo <= at < hi]
            phases[name] = {'from_s': lo, 'to_s': hi, 'sent': len(in_phase),
                            'accepted': sum(1 for st in in_phase if st == 200),
                            'throttled': sum(1 for st in in_phase if st == 429),
                            'other': sum(1 for st in in_phase if st not in (200, 429))}
        logs = [open(os.path.join(args.tmp, f'accidents-{name}.log'), errors='replace').read()
                for name in ('gateway_redis', 'gateway_redis_2')]
        outage = {'rate': rate, 'burst': burst, 'sent_per_s': 3 * rate, 'phases': phases,
                  'logged_unreachable': all('unreachable' in text for text in logs),
                  'logged_back': all('redis back: limits shared again' in text for text in logs)}
        print(f'gateway redis outage: {json.dumps(phases)}', file=sys.stderr, flush=True)
    finally:
        for proc in reversed(procs):
            stop(proc)

    summary = {}
    ratios = {}
    for shape, shape_runs in runs.items():
        summary[shape] = {}
        for name, results in shape_runs.items():
            rates = [r['requests_per_s'] for r in results]
            summary[shape][name] = {'requests_per_s': rates, 'requests_per_s_median': statistics.median(rates),
                                    'latency_avg_ms_median': statistics.median(r['latency_avg_ms'] for r in results),
                                    'latency_p99_ms_median': statistics.median(r['latency_p99_ms'] for r in results)}
        ratios[shape] = {}
        for name, base in (('gateway', 'off'), ('gateway_redis', 'off'), ('gateway_redis', 'gateway')):
            per_round = [g / o for g, o in zip(summary[shape][name]['requests_per_s'],
                                               summary[shape][base]['requests_per_s'])]
            ratios[shape][f'{name}/{base}'] = {'ratios': per_round, 'ratio_median': statistics.median(per_round)}
    redis_version = subprocess.run(['redis-server', '--version'], capture_output=True, text=True).stdout.strip()
    print(json.dumps({
        'settings': {k: v for k, v in vars(args).items()
                     if k in ('workers', 'seconds', 'rounds', 'accuracy_seconds')},
        'shapes': {shape: {'wrk_threads': t, 'connections': c} for shape, (t, c) in SHAPES.items()},
        'redis_version': redis_version,
        'finished': time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime()),
        'runs': summary,
        'ratios': ratios,
        'accuracy': accuracy,
        'two_instances': together,
        'shared_quota': quota,
        'redis_outage': outage,
    }, indent=1))
    return 0


if __name__ == '__main__':
    sys.exit(main())
