"""Writes docs/benchmarks.md from the raw outputs that bench/run-all leaves in build/bench/.

    /usr/bin/python3 bench/report.py --raw build/bench --datasheet FILE --started ISO-DATE \
        --cpu-busy BEFORE AFTER [--previous docs/benchmarks.md] > docs/benchmarks.md

The scale figures (bench/scale, `bench/run-all --scale`) come from build/bench/scale-results/ when
this run measured them; otherwise they are carried over from the previous docs/benchmarks.md (which
keeps them, machine-readable, in a comment of its "Scale" section) and marked as such. The Lambda
cold start (bench/lambda_cold_start.py, build/bench/cold-start.json) is carried over the same way
when this run could not build the image (not root, no podman).

    /usr/bin/python3 bench/report.py --only cold-start --raw build/bench --datasheet FILE \
        --cpu-busy BEFORE AFTER --previous docs/benchmarks.md > docs/benchmarks.md

(`bench/run-all --only cold-start`) writes the previous file again with only the cold-start section,
its summary rows and the closing "Reproduce everything" text replaced; every other figure stays.
"""

import argparse
import json
import os
import platform
import re
import statistics
import subprocess
import sys

# The issue's budget table (issue 2, "Benchmarks") and the anchors as first seen on a 2-core machine.
LOAD_BUDGET_MS = 150
RSS_BUDGET_RATIO = 2.0
HANDLER_BUDGET_US = 100
HTTP_BUDGET_RATIO = 0.8
NOISY_CPU_BUSY_PERCENT = 10
ISSUE_ANCHORS = {
    'load': 'pandas ≈ 670 ms; DuckDB ≈ 375 ms',
    'handler': 'original handler ≈ 630 ms per call',
    'years': 'nginx ≈ 41k req/s',
    'gzip': 'nginx ≈ 11k req/s',
}

# Issue 4 ("Performance"): the analysis API on the 2019 datasheet, beside DuckDB, and at scale.
ANALYSIS_BUDGETS_MS = {'filter': 1.0, 'group': 1.0, 'year_json': 5.0}
ANALYSIS_ANCHORS = {'filter': 'DuckDB ≈ 4 ms', 'group': 'DuckDB ≈ 3 ms', 'year_json': 'DuckDB ≈ 33 ms (COPY to JSON)'}
SCALE_LOAD_BUDGET_S = 15
GATEWAY_BUDGET_RATIO = 0.9
GATEWAY_ACCURACY = 0.05
SCALE_RSS_BUDGET_RATIO = 1.5
SCALE_QUERY_BUDGET_MS = 100
SCALE_CASES = {
    'select_rows/cessna_fatal_count': ('filter + count, engine: `select_rows`', 'count'),
    'router_uncached/query_cessna_fatal_count': ('filter + count, API: `Router::handle` `/api/query?…&limit=1`', 'total_count'),
    'aggregate/year_injuries': ('group by year + 5 metrics, engine: `aggregate`', 'groups'),
    'router_uncached/stats_year_injuries': ('group by year + 5 metrics, API: `Router::handle` `/api/stats?…`', None),
}
SCALE_MARK = 'scale-figures'
# Issue 9: the Lambda image's init, exec to first /next, beside the original's in python3 + pandas.
COLD_START_BUDGET_MS = 200
COLD_START_RSS_BUDGET_RATIO = 3.0
COLD_START_MARK = 'cold-start-figures'
COLD_START_NUMBER = 10
COLD_START_TAG = '(issue 9)'  # ends the first cell of its summary rows, which --only cold-start replaces
FILTER_QUERY = '/api/query?Make:raw=Cessna&Total.Fatal.Injuries__gt=0&limit=1'
STATS_QUERY = '/api/stats?group_by=year&metrics=count,fatal,serious,minor,uninjured'


def read_json(raw, name):
    with open(os.path.join(raw, name)) as f:
        return json.load(f)


def read_text(raw, name):
    with open(os.path.join(raw, name)) as f:
        return f.read()


def google_benchmark_medians(core):
    """run_name -> (median real time in ms, counters) from Google Benchmark's JSON output."""
    to_ms = {'ns': 1e-6, 'us': 1e-3, 'ms': 1.0, 's': 1e3}
    medians = {}
    for b in core['benchmarks']:
        if b.get('error_occurred'):
            raise SystemExit(f'report: benchmark {b["run_name"]} failed: {b.get("error_message")}')
        if b.get('aggregate_name') == 'median':
            name = b['run_name'].split('/repeats:')[0]
            medians[name] = (b['real_time'] * to_ms[b['time_unit']], b)
    return medians


def machine(started, core_context, cpu_busy):
    cpu = 'unknown'
    with open('/proc/cpuinfo') as f:
        for line in f:
            if line.startswith('model name'):
                cpu = line.split(':', 1)[1].strip()
                break
    with open('/proc/meminfo') as f:
        mem_kib = int(re.search(r'MemTotal:\s+(\d+)', f.read()).group(1))
    gxx = subprocess.run(['g++', '--version'], capture_output=True, text=True).stdout.splitlines()[0]
    return [
        ('date (start of the run, UTC)', started),
        ('nproc', str(os.cpu_count())),
        ('CPU', f'{cpu}, {core_context.get("mhz_per_cpu", "?")} MHz'),
        ('memory', f'{mem_kib / 2**20:.1f} GiB'),
        ('kernel', platform.release()),
        ('compiler', f'{gxx}, CMake preset `release`'),
        ('CPU busy with other work, over 3 s before / after measuring', f'{cpu_busy[0]} % / {cpu_busy[1]} %'),
    ]


def fmt_ms(ms):
    return f'{ms:.0f} ms' if ms >= 10 else f'{ms:.2f} ms'


def fmt_us(ms):
    return f'{ms * 1000:.2f} µs'


def fmt_mib(n):
    return f'{n / 2**20:.1f} MiB'


def fmt_rate(r):
    return f'{r / 1000:.1f}k req/s'


def verdict(ok):
    return '**pass**' if ok else '**miss**'


def table(header, rows):
    lines = ['| ' + ' | '.join(header) + ' |', '|' + '---|' * len(header)]
    lines += ['| ' + ' | '.join(row) + ' |' for row in rows]
    return '\n'.join(lines)


def rss_bytes(time_v):
    return int(re.search(r'Maximum resident set size \(kbytes\): (\d+)', time_v).group(1)) * 1024


def wall_clock(time_v):
    return re.search(r'Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)', time_v).group(1)


def scale_figures_of_this_run(raw, cpu_busy):
    """The figures bench/scale left in RAW/scale-results/, or None when it did not run."""
    results = os.path.join(raw, 'scale-results')
    if not os.path.exists(os.path.join(results, 'core.json')):
        return None
    core = read_json(results, 'core.json')
    medians = google_benchmark_medians(core)
    import_line = read_text(results, 'import.txt').splitlines()[0]
    time_v = read_text(results, 'import-time.txt')
    cases = {}
    for name, (_, counter) in SCALE_CASES.items():
        ms, b = medians[name]
        cases[name] = {'median_ms': ms, 'repetitions': b['repetitions'],
                       'answer': b[counter] if counter else b['body_bytes']}
    return {
        'finished': read_text(results, 'finished.txt').strip(),
        'file': 'build/bench/scale/demo-10m.csv',
        'file_bytes': int(read_text(results, 'demo-bytes.txt')),
        'rows': int(re.search(r'(\d+) rows loaded', import_line).group(1)),
        'demo': read_text(results, 'demo-generated.txt').strip(),
        'import_report': import_line,
        'import_load_ms': float(re.search(r'rows loaded in ([\d.]+) ms', import_line).group(1)),
        'import_wall': wall_clock(time_v),
        'import_rss_bytes': rss_bytes(time_v),
        'progress_bar': read_text(results, 'progress-bar.txt').strip() == 'yes',
        'cases': cases,
        'cpu_busy': list(cpu_busy),
        'mhz_per_cpu': core.get('context', {}).get('mhz_per_cpu'),
    }


LOADER_BLOCK = 'loader-budgets'  # issue 11's load budgets beside DuckDB: bench/loader-budgets, `--only loader`


def loader_block(text):
    """`bench/loader-budgets`' block of section 1, markers included, from a docs/benchmarks.md text, or ''."""
    m = re.search(r'<!-- ' + LOADER_BLOCK + r' -->.*?<!-- /' + LOADER_BLOCK + r' -->\n', text, re.S)
    return m.group(0) if m else ''


def loader_block_of(measured_md, started, cpu_busy):
    """The block written from one run of bench/loader-budgets (its Markdown output)."""
    return (f'<!-- {LOADER_BLOCK} -->\n'
            f'Issue 11\'s budgets: `accidents import` (the whole process) beside DuckDB\'s `CREATE TABLE AS SELECT * '
            f'FROM read_csv(…)` on 2 threads, alternating, the file in the page cache, measured in a run started '
            f'{started} by `bench/run-all --only loader` (`bench/loader-budgets --priority`: both in a scheduler group '
            f'of their own at nice -15); other processes used {cpu_busy[0]} % / {cpu_busy[1]} % of the CPU just before / '
            f'after. DuckDB\'s figure is its statement alone, without its process\'s start.\n\n'
            f'{measured_md.strip()}\n'
            f'<!-- /{LOADER_BLOCK} -->\n')


def splice_loader(previous, block):
    """`previous` with its loader block replaced by `block` (or added at the end of section 1)."""
    old = loader_block(previous)
    if old:
        return previous.replace(old, block)
    at = previous.index('\n## 2. ')
    return previous[:at] + '\n' + block + previous[at:]


def figures_of_previous_run(previous, mark):
    """The figures a section of the previous docs/benchmarks.md keeps in its `<!-- MARK {...} -->`, or None."""
    if not previous or not os.path.exists(previous):
        return None
    with open(previous) as f:
        m = re.search(r'<!-- ' + mark + r' (\{.*?\}) -->', f.read())
    return json.loads(m.group(1)) if m else None


def scale_summary_rows(scale, carried):
    if scale is None:
        return [['10 million rows (issue 4): load, RSS, filter, group by', 'not measured yet', '', '',
                 'see section 6', '`bench/run-all --scale`']]
    tag = f' (carried over, run of {scale["finished"][:10]})' if carried else ''
    rss_ratio = scale['import_rss_bytes'] / scale['file_bytes']
    f = scale['cases']['router_uncached/query_cessna_fatal_count']['median_ms']
    g = scale['cases']['router_uncached/stats_year_injuries']['median_ms']
    return [
        [f'10M rows: load, `accidents import`{tag}', f'{scale["import_load_ms"] / 1000:.1f} s', '', '',
         f'≤ {SCALE_LOAD_BUDGET_S} s', verdict(scale['import_load_ms'] <= SCALE_LOAD_BUDGET_S * 1000)],
        [f'10M rows: load, peak RSS{tag}', f'{fmt_mib(scale["import_rss_bytes"])} = {rss_ratio:.2f}× file', '', '',
         f'≤ {SCALE_RSS_BUDGET_RATIO:g}× file', verdict(rss_ratio <= SCALE_RSS_BUDGET_RATIO)],
        [f'10M rows: filter + count, API{tag}', fmt_ms(f), '', '', f'≤ {SCALE_QUERY_BUDGET_MS} ms',
         verdict(f <= SCALE_QUERY_BUDGET_MS)],
        [f'10M rows: group by year + injury sums, API{tag}', fmt_ms(g), '', '', f'≤ {SCALE_QUERY_BUDGET_MS} ms',
         verdict(g <= SCALE_QUERY_BUDGET_MS)],
    ]


def scale_section(w, scale, carried, number):
    w(f'## {number}. Scale: 10 million rows')
    w('')
    w(f'Issue 4: at 10 million synthetic rows (`accidents demo-data`), load ≤ {SCALE_LOAD_BUDGET_S} s with a progress '
      f'bar on the terminal, RSS ≤ {SCALE_RSS_BUDGET_RATIO:g}× the file, the same filter ≤ {SCALE_QUERY_BUDGET_MS} ms, '
      f'group by year ≤ {SCALE_QUERY_BUDGET_MS} ms. No anchor is run at this size. The load is timed with the file in the page cache (`bench/scale` reads it once first), as the other load figures are. Measured by `bench/scale`, which '
      '`bench/run-all --scale` (or `ACCIDENTS_SCALE=1 make bench`) runs; it needs about 2.5 GB of disk for the file '
      'and a few minutes, so a plain `make bench` leaves it out.')
    w('')
    if scale is None:
        w('**Not measured yet**: no run so far was made with `--scale`. Run `bench/run-all --scale`.')
        w('')
        return
    if carried:
        w(f'> **Carried over:** this run was made without `--scale`, so these figures are those of the last run that '
          f'measured them ({scale["finished"]}), with other work using {max(scale["cpu_busy"])} % of the CPU around '
          'that run; the Machine section above describes the current run. `bench/run-all --scale` measures them again.')
    else:
        w(f'Measured in this run (finished {scale["finished"]}).')
    w('')
    rss_ratio = scale['import_rss_bytes'] / scale['file_bytes']
    rows = [
        [f'load: `accidents import`, its own report (wall of the whole process {scale["import_wall"]})',
         f'{scale["import_load_ms"] / 1000:.1f} s', f'≤ {SCALE_LOAD_BUDGET_S} s',
         verdict(scale['import_load_ms'] <= SCALE_LOAD_BUDGET_S * 1000)],
        ['load: progress bar drawn on the terminal (`accidents import` run by `script`, so stderr is a pseudo-terminal)',
         'yes' if scale['progress_bar'] else 'no', 'yes', verdict(scale['progress_bar'])],
        ['load: peak RSS of `accidents import` (`/usr/bin/time -v`)',
         f'{fmt_mib(scale["import_rss_bytes"])} = {rss_ratio:.2f}× file', f'≤ {SCALE_RSS_BUDGET_RATIO:g}× file',
         verdict(rss_ratio <= SCALE_RSS_BUDGET_RATIO)],
    ]
    for name, (label, counter) in SCALE_CASES.items():
        c = scale['cases'][name]
        answer = f'{int(c["answer"]):,} {"bytes" if counter is None else "groups" if counter == "groups" else "rows"}'
        rows.append([f'{label}, median of {c["repetitions"]} ({answer})', fmt_ms(c['median_ms']),
                     f'≤ {SCALE_QUERY_BUDGET_MS} ms', verdict(c['median_ms'] <= SCALE_QUERY_BUDGET_MS)])
    w(table(['figure', 'value', 'budget', 'result'], rows))
    w('')
    w(f'File: `{scale["file"]}`, {scale["file_bytes"]:,} bytes, {scale["rows"]:,} rows, written by '
      f'`build/release/src/accidents demo-data --rows 10000000 --seed 1 --out {scale["file"]}` '
      f'({"that" if carried else "this"} run: {scale["demo"]}; reused while its stamp matches). The injury and Make columns have the same names as '
      'in the 2019 datasheet, so the filter and group by are the same cases as in section 5. '
      f'`accidents import` reported: `{scale["import_report"]}`.')
    w('')
    w('Commands:')
    w('')
    w('```sh')
    w('bench/run-all --scale    # everything, or only this section:')
    w('bench/scale              # after a release build; results in build/bench/scale-results/')
    w(f"script -qefc '/usr/bin/time -v build/release/src/accidents import --data {scale['file']} >/dev/null' /dev/null")
    w(f"ACCIDENTS_DATASHEET={scale['file']} build/release/bench/accidents_bench "
      "--benchmark_filter='select_rows|aggregate|router_uncached/(query_cessna|stats_year)'")
    w('```')
    w('')
    w(f'<!-- {SCALE_MARK} {json.dumps(scale, sort_keys=True)} -->')
    w('')


def web_section(w, raw, number):
    """The web app's budgets (issue 5), from bench/web-budgets' lines in web.txt."""
    w(f'## {number}. Web app (issue 5)')
    w('')
    w('Budgets: initial JavaScript ≤ 350 kB gzipped; with the 1982 data (≈3,600 events) the map and charts drawn '
      '≤ 1 s after the answer arrives, in headless Chromium on this machine; a year change ≤ 300 ms. Measured by '
      '`bench/web-budgets`: the built app served by `accidents serve --web` on the 2019 datasheet, Debian\'s Chromium '
      'driven by playwright-core (three runs; the page marks the moment its map and charts last changed).')
    w('')
    path = os.path.join(raw, 'web.txt')
    if not os.path.exists(path):
        w('Not measured in this run.')
        w('')
        return
    text = open(path, encoding='utf-8').read()
    initial = re.search(r'initial JavaScript: (\d+) bytes', text)
    runs = re.findall(r'year 1982 drawn (\d+) ms after the /api/query answer; change to 1983 (\d+) ms', text)
    rows = []
    if initial:
        kb = int(initial.group(1)) / 1000
        rows.append(['initial JavaScript, gzipped', f'{kb:.0f} kB', '≤ 350 kB', verdict(kb <= 350)])
    if runs:
        draws = sorted(int(d) for d, _ in runs)
        changes = sorted(int(c) for _, c in runs)
        draw, change = statistics.median(draws), statistics.median(changes)
        rows.append(['map and charts drawn after the 1982 answer (median of runs: ' +
                     ', '.join(f'{d} ms' for d in draws) + ')', f'{draw:.0f} ms', '≤ 1 s', verdict(draw <= 1000)])
        rows.append(['year change 1982 → 1983 (median of runs: ' + ', '.join(f'{c} ms' for c in changes) + ')',
                     f'{change:.0f} ms', '≤ 300 ms', verdict(change <= 300)])
    w(table(['figure', 'value', 'budget', 'result'], rows))
    w('')
    w('```sh')
    w('bench/web-budgets')
    w('```')
    w('')


def gateway_summary_rows(raw):
    """Summary rows of the gateway (issues 3 and 12), or none when bench/gateway_bench.py did not run."""
    if not os.path.exists(os.path.join(raw, 'gateway.json')):
        return []
    g = read_json(raw, 'gateway.json')
    runs, ratios = g['runs']['t2c64'], g['ratios']['t2c64']
    r = ratios['gateway/off']['ratio_median']
    rows = [['HTTP `/api/years` with the gateway and a key (issue 3)', fmt_rate(runs['gateway']['requests_per_s_median']),
             f'no gateway {fmt_rate(runs["off"]["requests_per_s_median"])}', f'{r:.2f}×',
             f'≥ {GATEWAY_BUDGET_RATIO}× off', verdict(r >= GATEWAY_BUDGET_RATIO)]]
    for shape, shape_ratios in g['ratios'].items():
        rr = shape_ratios['gateway_redis/gateway']['ratio_median']
        rows.append([f'HTTP `/api/years` with a key, `--limits redis://`, wrk {shape_label(g, shape)} (issue 12)',
                     fmt_rate(g['runs'][shape]['gateway_redis']['requests_per_s_median']),
                     f'in-process limits {fmt_rate(g["runs"][shape]["gateway"]["requests_per_s_median"])}', f'{rr:.2f}×',
                     f'≥ {GATEWAY_BUDGET_RATIO}× in-process', verdict(rr >= GATEWAY_BUDGET_RATIO)])
    worst = max(g['accuracy'], key=lambda a: abs(a['error']))
    rows.append(['gateway: accepted at 3× a plan\'s rate for 10 s, worst of 4 (issue 3)',
                 f'{worst["accepted"]:,} ({worst["store"]}, rate {worst["rate"]:g})', f'rate × 10 + burst = {worst["expected"]:,}',
                 f'{worst["error"] * 100:+.1f} %', f'± {GATEWAY_ACCURACY * 100:g} %', verdict(abs(worst['error']) <= GATEWAY_ACCURACY)])
    worst = max(g['two_instances'], key=lambda a: abs(a['error']))
    rows.append(['gateway: two instances sharing a plan at 3× its rate for 10 s, worst of 2 (issue 12)',
                 f'{worst["accepted"]:,} (rate {worst["rate"]:g})', f'rate × 10 + burst = {worst["expected"]:,}',
                 f'{worst["error"] * 100:+.1f} %', f'± {GATEWAY_ACCURACY * 100:g} %', verdict(abs(worst['error']) <= GATEWAY_ACCURACY)])
    q = g['shared_quota']
    rows.append(['gateway: a quota spent by two instances at once (issue 12)', f'{q["accepted"]:,} accepted',
                 f'limit {q["limit"]:,}', f'{q["accepted"] - q["limit"]:+,}', f'≤ limit + 2 × {q["overshoot"]} (B)',
                 verdict(q['limit'] <= q['accepted'] <= q['bound'])])
    o = g['redis_outage']
    errors = sum(p['other'] for p in o['phases'].values() if p['from_s'] != 10)
    rows.append(['gateway: Redis killed mid-run, restarted (issue 12)', f'{errors} error answers',
                 'local limits while down, shared after', '', '0 errors, logged',
                 verdict(errors == 0 and o['logged_unreachable'] and o['logged_back'])])
    return rows


def shape_label(g, shape):
    s = g['shapes'][shape]
    return f'-t{s["wrk_threads"]} -c{s["connections"]}'


def gateway_section(w, raw, ds, number, cpu_busy=None):
    """The gateway's cost and accuracy (issues 3 and 12), from bench/gateway_bench.py's gateway.json; with
    `cpu_busy` (measured alone, `--only gateway`), what other work used of the CPU around it."""
    w(f'## {number}. Gateway (issues 3 and 12)')
    w('')
    w(f'Budgets: throughput with the gateway on ≥ {GATEWAY_BUDGET_RATIO}× with it off, and with `--limits redis://` '
      f'≥ {GATEWAY_BUDGET_RATIO}× with in-process limits (wrk on loopback, with an API key, under two load shapes); over '
      f'10 s at 3× a plan\'s rate, accepted requests within {GATEWAY_ACCURACY * 100:g} % of rate × 10 + burst, on one '
      'instance and on two sharing the plan through Redis; a quota spent by two instances at once: at most the limit + '
      '2 × B, B = max(`--limits-overshoot`, `--limits-overshoot-share` × limit) (docs/gateway.md); Redis killed and restarted mid-run: no error answer. '
      'Measured by `bench/gateway_bench.py`: `accidents serve --threads 2` on the datasheet, without a gateway, '
      'with `--gateway` (in-process limits) and with `--gateway --limits redis://` (a redis-server on loopback; a second '
      'such server for the runs on two instances); the key used for throughput is on a plan too large to refuse anything, '
      'so every request pays for the key lookup, the limit check and the headers. The ratio is the median of per-round '
      'ratios, each round measuring the servers back to back. Accuracy: keep-alive clients send evenly paced requests '
      '(one per server, each at 1.5× the rate when two share it).')
    w('')
    g = read_json(raw, 'gateway.json') if os.path.exists(os.path.join(raw, 'gateway.json')) else None
    if g is None:
        w('Not measured in this run.')
        w('')
        return
    s = g['settings']
    for shape in g['runs']:
        runs, ratios = g['runs'][shape], g['ratios'][shape]
        w(f'wrk {shape_label(g, shape)}:')
        w('')
        rows = [['no gateway', fmt_rate(runs['off']['requests_per_s_median']), '', '', '', '',
                 f'{runs["off"]["latency_avg_ms_median"]:.2f} ms']]
        for name, label in (('gateway', '`--gateway`, in-process limits'),
                            ('gateway_redis', '`--gateway --limits redis://`')):
            r = ratios[f'{name}/off']['ratio_median']
            if name == 'gateway':
                versus, budget, result = '', f'≥ {GATEWAY_BUDGET_RATIO}× off', verdict(r >= GATEWAY_BUDGET_RATIO)
            else:
                rr = ratios['gateway_redis/gateway']
                versus = f'{rr["ratio_median"]:.2f}× (rounds: ' + ', '.join(f'{x:.2f}' for x in rr['ratios']) + ')'
                budget = f'≥ {GATEWAY_BUDGET_RATIO}× in-process'
                result = verdict(rr['ratio_median'] >= GATEWAY_BUDGET_RATIO)
            rows.append([label, fmt_rate(runs[name]['requests_per_s_median']),
                         f'{r:.2f}× (rounds: ' + ', '.join(f'{x:.2f}' for x in ratios[f'{name}/off']['ratios']) + ')',
                         versus, budget, result, f'{runs[name]["latency_avg_ms_median"]:.2f} ms'])
        w(table(['`/api/years`', 'requests/s', 'on / off', 'Redis / in-process', 'budget', 'result', 'mean latency'],
                rows))
        w('')
    rows = []
    for a in g['accuracy']:
        ok = abs(a['error']) <= GATEWAY_ACCURACY
        rows.append([f'{a["store"]}, plan rate {a["rate"]:g} burst {a["burst"]}', f'{a["sent_per_s"]:g}/s for {a["seconds"]} s '
                     f'({a["accepted"] + a["throttled"] + a["other"]:,} sent in {a["elapsed_s"]:.1f} s)',
                     f'{a["accepted"]:,}', f'{a["expected"]:,}', f'{a["error"] * 100:+.1f} %',
                     f'± {GATEWAY_ACCURACY * 100:g} %', verdict(ok)])
    for a in g['two_instances']:
        ok = abs(a['error']) <= GATEWAY_ACCURACY and a['other'] == 0
        rows.append([f'two instances on redis, plan rate {a["rate"]:g} burst {a["burst"]}',
                     f'{a["sent_per_s"]:g}/s for {a["seconds"]} s ({a["accepted"] + a["throttled"] + a["other"]:,} sent '
                     f'in {a["elapsed_s"]:.1f} s, half to each)',
                     f'{a["accepted"]:,}', f'{a["expected"]:,}', f'{a["error"] * 100:+.1f} %',
                     f'± {GATEWAY_ACCURACY * 100:g} %', verdict(ok)])
    w(table(['store, plan', 'sent', 'accepted (200)', 'rate × 10 + burst', 'error', 'budget', 'result'], rows))
    w('')
    q = g['shared_quota']
    w(table(['quota spent by two instances at once (wrk -t1 -c16 on each for 5 s)', 'sent', 'accepted', 'limit',
             'bound: limit + 2 × B', 'result'],
            [[f'{q["limit"]:,} a day, a bucket too large to refuse', f'{q["sent"]:,}', f'{q["accepted"]:,}',
              f'{q["limit"]:,}', f'{q["bound"]:,}', verdict(q['limit'] <= q['accepted'] <= q['bound'])]]))
    w('')
    o = g['redis_outage']
    rows = []
    labels = {'shared': 'shared (Redis up)', 'redis_down': 'Redis killed: each instance alone',
              'restarted': 'Redis restarted on the same port', 'last_2s': 'of which the last 2 s'}
    for name, p in o['phases'].items():
        span = p['to_s'] - p['from_s']
        rows.append([labels[name], f'{p["from_s"]}–{p["to_s"]} s', f'{p["sent"]:,}', f'{p["accepted"]:,}',
                     f'{p["accepted"] / span:.0f}/s', f'{p["throttled"]:,}', f'{p["other"]}'])
    w(f'Redis killed mid-run (plan rate {o["rate"]:g} burst {o["burst"]}, two instances driven at {o["sent_per_s"]:g}/s '
      'in total): one instance alone accepts up to its rate, two alone twice it, sharing again the rate. '
      f'Logged "unreachable" by both: {"yes" if o["logged_unreachable"] else "no"}; "redis back" by both: '
      f'{"yes" if o["logged_back"] else "no"}.')
    w('')
    w(table(['phase', 'time', 'sent', 'accepted (200)', 'accepted per second', 'throttled (429)', 'other answers'], rows))
    w('')
    if cpu_busy is not None:
        w(f'Measured by `bench/run-all --only gateway` (finished {g.get("finished", "")}); other work used '
          f'{cpu_busy[0]} % / {cpu_busy[1]} % of the CPU over 3 s before / after, and the throughput ratios are only '
          'as steady as the machine was.')
        w('')
    w(f'{g["redis_version"]}. Command:')
    w('')
    w('```sh')
    w(f'/usr/bin/python3 bench/gateway_bench.py --accidents build/release/src/accidents --data {ds} '
      f'--tmp "$(mktemp -d)" --raw build/bench/http --seconds {s["seconds"]} --rounds {s["rounds"]}')
    w('```')
    w('')


CANONICAL_LOAD_BUDGET_RATIO = 1.05
CANONICAL_NUMBER = 9
SOAK_NUMBER = 12
SOAK_TAG = '(issue 12, soak)'  # ends the first cell of its summary rows, which --only soak replaces
GATEWAY_NUMBER = 8
GATEWAY_TAGS = ('(issue 3)', '(issue 12)')  # end the first cells of its summary rows, which --only gateway replaces
CANONICAL_TAG = '(issue 10)'  # ends the first cell of its summary rows, which --only canonical replaces
CANONICAL_FILTER = ('load_canonical_cost|canonical_build|'
                    'router_uncached/(query_cessna_(canonical_)?fatal_count|stats_make_(canonical|raw)_rates|stats_year_canonical_severity)')
CANONICAL_CASES = [
    ('router_uncached/query_cessna_canonical_fatal_count', 'router_uncached/query_cessna_fatal_count',
     'filter + count: `Make=Cessna` (every Cessna spelling) vs `Make:raw=Cessna`', 'total_count', ANALYSIS_BUDGETS_MS['filter']),
    ('router_uncached/stats_make_canonical_rates', 'router_uncached/stats_make_raw_rates',
     'group by `Make` vs `Make:raw` + count, fatal_events, fatal_share, deaths_per_event, share, top 10', None,
     ANALYSIS_BUDGETS_MS['group']),
    ('router_uncached/stats_year_canonical_severity', None,
     'group by year and `Injury.Severity` (levels) + count, fatal, fatal_share', None, ANALYSIS_BUDGETS_MS['group']),
]


def load_canonical_cost(core):
    """The entry of load_canonical_cost, which runs once (its counters are medians of its own pairs), or None."""
    return next((b for b in core['benchmarks']
                 if b.get('run_type') == 'iteration' and b['run_name'].startswith('load_canonical_cost')), None)


PACKED_BUDGET_RATIO = 2.0  # issue 11: the Kaggle zip loads in at most twice the plain file's time


def load_packed_cost(core, gzip):
    """The entry of load_packed_cost for the zip archive (gzip False) or the .gz file, or None."""
    name = f'load_packed_cost/gzip:{1 if gzip else 0}'
    return next((b for b in core['benchmarks']
                 if b.get('run_type') == 'iteration' and b['run_name'].startswith(name)), None)


def packed_rows(core):
    """Rows of the packed-datasheet table (issue 11), or none when the benchmark did not run."""
    rows = []
    for gzip, label, budgeted in ((False, 'the Kaggle zip (`archive.zip`, deflated, beside `USState_Codes.csv`)', True),
                                  (True, 'gzip (`AviationData.csv.gz`, level 6)', False)):
        b = load_packed_cost(core, gzip)
        if b is None:
            continue
        ratio = b['ratio']
        rows.append([f'{label}, {fmt_mib(b["packed_bytes"])}', f'{b["packed_ms"]:.0f} ms (best {b["best_packed_ms"]:.0f})',
                     f'{b["plain_ms"]:.0f} ms (best {b["best_plain_ms"]:.0f})', f'{ratio:.2f}×',
                     f'≤ {PACKED_BUDGET_RATIO:g}×' if budgeted else '',
                     verdict(ratio <= PACKED_BUDGET_RATIO) if budgeted else ''])
    return rows


def packed_summary_rows(core):
    b = load_packed_cost(core, False)
    if b is None:
        return []
    return [['load: the Kaggle zip of the datasheet (issue 11)', f'{b["packed_ms"]:.0f} ms', f'plain file {b["plain_ms"]:.0f} ms',
             f'{b["ratio"]:.2f}×', f'≤ {PACKED_BUDGET_RATIO:g}× plain', verdict(b['ratio'] <= PACKED_BUDGET_RATIO)]]


def canonical_summary_rows(core):
    cost = load_canonical_cost(core)
    if cost is None:
        return []
    ratio = cost['ratio']
    return [[f'load: canonical values {CANONICAL_TAG}', f'{cost["with_ms"]:.0f} ms with', f'{cost["without_ms"]:.0f} ms without',
             f'{ratio:.3f}×', f'≤ {CANONICAL_LOAD_BUDGET_RATIO}×', verdict(ratio <= CANONICAL_LOAD_BUDGET_RATIO)]]


def canonical_section(w, core, medians, ds, number):
    cost = load_canonical_cost(core)
    w(f'## {number}. Canonical values {CANONICAL_TAG}')
    w('')
    if cost is None:
        w('Not measured in this run (`load_canonical_cost` missing from the Google Benchmark output).')
        w('')
        return
    ratio = cost['ratio']
    w(f'Budget: the load with canonical values ≤ {CANONICAL_LOAD_BUDGET_RATIO}× the load without them, measured in '
      'the same run (docs/canonical-values.md); the analysis budgets of issue 4 unchanged on canonical values. '
      f'`load_canonical_cost` loads the datasheet {int(cost["pairs"])} times each way, without and with canonical values '
      'in alternating order (`LoadOptions::canonical`, which only this benchmark turns off); medians.')
    context = core.get('context', {})
    if 'load_avg' in context:
        w('')
        w(f'Measured {context.get("date", "")}, load average {", ".join(f"{x:.2f}" for x in context["load_avg"])} '
          '(other work on the machine inflates both sides alike; the ratio is the figure).')
    w('')
    best = cost['best_with_ms'] / cost['best_without_ms']
    cpu = cost['cpu_with_ms'] / cost['cpu_without_ms']
    w(table(['figure', 'wall, median', 'wall, best', 'CPU time (both threads), median', 'budget', 'result'], [
        ['`DatasetLoader::load_file`, without canonical values', f'{cost["without_ms"]:.1f} ms',
         f'{cost["best_without_ms"]:.1f} ms', f'{cost["cpu_without_ms"]:.1f} ms', '', ''],
        ['`DatasetLoader::load_file`, with canonical values (the default)', f'{cost["with_ms"]:.1f} ms',
         f'{cost["best_with_ms"]:.1f} ms', f'{cost["cpu_with_ms"]:.1f} ms', '', ''],
        ['with / without (wall: median of the per-pair ratios)', f'{ratio:.3f}×', f'{best:.3f}×', f'{cpu:.3f}×',
         f'≤ {CANONICAL_LOAD_BUDGET_RATIO}×', verdict(ratio <= CANONICAL_LOAD_BUDGET_RATIO)],
    ]))
    if 'canonical_build' in medians:
        build_ms, build = medians['canonical_build']
        w('')
        w(f'What the difference is made of, measured alone in the same run (`canonical_build`: the canonical values of '
          f'the {int(build["columns"])} columns that have them, {int(build["distinct"]):,} distinct raw values, built again '
          f'from a dataset loaded without them, on one thread): **{fmt_ms(build_ms)}**, '
          f'{100 * build_ms / cost["without_ms"]:.1f} % of the median load without them; the loader splits the columns '
          'over its two threads.')
    w('')
    rows = []
    for canonical, raw, label, count, budget in CANONICAL_CASES:
        if canonical not in medians:
            continue
        ms, b = medians[canonical]
        anchor = ''
        if raw is not None and raw in medians:
            anchor = f'{fmt_ms(medians[raw][0])} ({medians[raw][0] / ms:.2f}×)'
        answer = f'{int(b[count]):,} rows' if count else f'{int(b["body_bytes"]):,} bytes'
        rows.append([f'{label}, API: `Router::handle`, uncached', fmt_ms(ms), anchor, f'≤ {budget:g} ms',
                     verdict(ms <= budget), answer])
    if rows:
        w(table(['figure', 'canonical', 'raw, same run (raw / canonical)', 'budget', 'result', 'answer'], rows))
        w('')
    w('Command (`bench/run-all --only canonical` runs it and writes this section alone):')
    w('')
    w('```sh')
    w(f"ACCIDENTS_DATASHEET={ds} build/release/bench/accidents_bench --benchmark_filter='{CANONICAL_FILTER}'")
    w('```')
    w('')


SEARCH_NUMBER = 11
SEARCH_TAG = '(issue 14)'  # ends the first cell of its summary rows, which --only search replaces
SEARCH_BUILD_BUDGET_MS = 1000  # the index of 100,000 rows
SEARCH_QUERY_BUDGET_MS = 5.0  # a ranked search with a filter, p50, 100,000 rows
SEARCH_MEMORY_BUDGET = 1.0  # index bytes per byte of text indexed
SEARCH_CASES = [  # (ours, anchor in process, DuckDB query, label)
    ('router_search/demo_phrase', 'fts5_direct_search/demo_phrase', 'demo_phrase',
     '`"loss of engine power"` since 2015, 20 rows of 4 columns, demo rows'),
    ('router_search/demo_words', 'fts5_direct_search/demo_words', 'demo_words', '`pilot stall` since 2015, demo rows'),
    ('router_search/demo_snippets', None, None, 'the phrase with `fields=Event.Id,_snippet`, demo rows'),
    ('router_search/datasheet_place', 'fts5_direct_search/datasheet_place', 'datasheet_place',
     '`anchorage` since 2015, the datasheet'),
]


def cpu_ms(b):
    """The CPU time of a Google Benchmark entry, in ms (on a busy machine, beside its wall time)."""
    return b['cpu_time'] * {'ns': 1e-6, 'us': 1e-3, 'ms': 1.0, 's': 1e3}[b['time_unit']]


def search_figures(raw):
    """What bench/search_bench and bench/duckdb/search.mjs measured in this run, or None."""
    if not os.path.exists(os.path.join(raw, 'search.json')):
        return None
    duck = {}
    for kind in ('demo', 'datasheet'):
        path = os.path.join(raw, f'duckdb-search-{kind}.json')
        if os.path.exists(path):
            duck.update(read_json(raw, f'duckdb-search-{kind}.json')['searches'])
    core = read_json(raw, 'search.json')
    return google_benchmark_medians(core), duck, core.get('context', {})


def search_summary_rows(figures):
    if figures is None:
        return []
    medians, duck, _ = figures
    rows = []
    if 'index_build/demo' in medians:
        ms, b = medians['index_build/demo']
        direct = medians.get('fts5_direct_build/demo')
        rows.append([f'search index: build, 100,000 demo rows {SEARCH_TAG}', fmt_ms(ms),
                     f'FTS5 used directly {fmt_ms(direct[0])}' if direct else '',
                     f'{ms / direct[0]:.2f}×' if direct else '', f'≤ {SEARCH_BUILD_BUDGET_MS} ms',
                     verdict(ms <= SEARCH_BUILD_BUDGET_MS)])
        ratio = b['index_per_text']
        rows.append([f'search index: memory / text indexed, demo rows {SEARCH_TAG}',
                     f'{fmt_mib(b["index_bytes"])} = {ratio:.2f}× text',
                     f'FTS5 used directly {fmt_mib(direct[1]["sqlite_bytes"])}' if direct else '',
                     f'{direct[1]["sqlite_bytes"] / b["index_bytes"]:.1f}× less' if direct else '',
                     f'≤ {SEARCH_MEMORY_BUDGET:g}× text', verdict(ratio <= SEARCH_MEMORY_BUDGET)])
    case = SEARCH_CASES[0]
    if case[0] in medians:
        ms = medians[case[0]][0]
        direct = medians.get(case[1])
        d = duck.get(case[2])
        anchors = '; '.join(x for x in [f'FTS5 directly {fmt_ms(direct[0])}' if direct else '',
                                         f'DuckDB ILIKE {fmt_ms(d["ms_median"])}' if d else ''] if x)
        ratios = ' / '.join(x for x in [f'{direct[0] / ms:.2f}×' if direct else '',
                                        f'{d["ms_median"] / ms:.1f}×' if d else ''] if x)
        rows.append([f'ranked search with a filter, API, p50 {SEARCH_TAG}', fmt_ms(ms), anchors, ratios,
                     f'≤ {SEARCH_QUERY_BUDGET_MS:g} ms', verdict(ms <= SEARCH_QUERY_BUDGET_MS)])
    return rows


def search_section(w, figures, ds, number):
    w(f'## {number}. Full-text search {SEARCH_TAG}')
    w('')
    if figures is None:
        w('Not measured in this run (`bench/run-all --only search` measures it).')
        w('')
        return
    medians, duck, _ = figures
    w(f'Budgets: the index of 100,000 rows built in ≤ {SEARCH_BUILD_BUDGET_MS} ms (beside the first answers: it never '
      f'delays readiness), a ranked search with a filter ≤ {SEARCH_QUERY_BUDGET_MS:g} ms p50 on 100,000 rows, the '
      f'index ≤ {SEARCH_MEMORY_BUDGET:g}× the text it indexes. Ours is `SearchIndex::build` (a contentless SQLite FTS5 '
      'table, Porter stems, stop words) and `Router::handle`, uncached (parameters parsed, rows filtered and ranked by '
      'BM25, JSON written); the anchors, in the same run: SQLite FTS5 used directly as its documentation shows (a '
      'table keeping its text, `tokenize=\'porter unicode61\'`, the date as an unindexed column, `ORDER BY rank LIMIT '
      '20` and a `count(*)`), and DuckDB\'s `ILIKE` scan of the column the words are in (`bench/duckdb/search.mjs`, '
      'the first 20 rows and the count). Demo rows: `accidents demo-data --rows 100000 --seed 1`; medians of 5 builds '
      'and 9 repetitions of each search.')
    w('')
    rows = []
    for kind, label in (('demo', '100,000 demo rows'), ('datasheet', 'the datasheet')):
        if f'index_build/{kind}' not in medians:
            continue
        ms, b = medians[f'index_build/{kind}']
        direct = medians.get(f'fts5_direct_build/{kind}')
        rows.append([f'build, {label} ({int(b["rows"]):,} rows, {fmt_mib(b["text_bytes"])} of text)',
                     f'{fmt_ms(ms)} (CPU {fmt_ms(cpu_ms(b))})',
                     f'{fmt_ms(direct[0])} (CPU {fmt_ms(cpu_ms(direct[1]))})' if direct else '', f'{direct[0] / ms:.2f}×' if direct else '',
                     f'≤ {SEARCH_BUILD_BUDGET_MS} ms' if kind == 'demo' else '',
                     verdict(ms <= SEARCH_BUILD_BUDGET_MS) if kind == 'demo' else ''])
        rows.append([f'memory, {label}', f'{fmt_mib(b["index_bytes"])} = {b["index_per_text"]:.2f}× text',
                     fmt_mib(direct[1]['sqlite_bytes']) if direct else '',
                     f'{direct[1]["sqlite_bytes"] / b["index_bytes"]:.1f}× more' if direct else '',
                     f'≤ {SEARCH_MEMORY_BUDGET:g}× text', verdict(b['index_per_text'] <= SEARCH_MEMORY_BUDGET)])
    w('Wall times judge the budgets; the CPU time of the measuring thread is given beside them, because other work on '
      'the machine (see Machine, and the load average below) stretches wall time more than CPU time.')
    context = read_json_or_none(figures)
    if context:
        w('')
        w(f'Measured {context.get("date", "")}, load average {", ".join(f"{x:.2f}" for x in context["load_avg"])}.')
    w('')
    w(table(['figure', 'ours', 'FTS5 used directly', 'anchor / ours', 'budget', 'result'], rows))
    w('')
    rows = []
    for ours, direct_name, duck_name, label in SEARCH_CASES:
        if ours not in medians:
            continue
        ms, b = medians[ours]
        direct = medians.get(direct_name) if direct_name else None
        d = duck.get(duck_name) if duck_name else None
        rows.append([label, f'{fmt_ms(ms)} (CPU {fmt_ms(cpu_ms(b))})',
                     f'{fmt_ms(direct[0])} ({direct[0] / ms:.2f}×; CPU {fmt_ms(cpu_ms(direct[1]))})' if direct else '',
                     f'{fmt_ms(d["ms_median"])} ({d["ms_median"] / ms:.1f}×)' if d else '',
                     f'≤ {SEARCH_QUERY_BUDGET_MS:g} ms', verdict(ms <= SEARCH_QUERY_BUDGET_MS),
                     f'{int(b["total_count"]):,} rows' + (f' (ILIKE: {d["count"]:,})' if d else '')])
    w(table(['ranked search with a filter, p50', 'ours, API', 'FTS5 directly (its time / ours)',
             'DuckDB ILIKE (its time / ours)', 'budget', 'result', 'matches'], rows))
    w('')
    w('The ILIKE scan finds substrings (`stall` in "installed"), not words or stems, so its counts differ; it is '
      'the cost of answering without an index.')
    w('')
    w('Why FTS5 and not Xapian, measured once when choosing (`/usr/bin/python3 bench/search-engines.py '
      'fts5|xapian-glass|xapian-inmemory`: the Python bindings of both over the same 100,000 synthetic causes, '
      '11.6 MiB of text, on this 2-core machine shared with other work): FTS5 built its table in 0.49–0.66 s, '
      'growing the process by 26 MiB with the text kept; Xapian took 10.2 s with its glass backend (64 MiB of files, '
      'positions included) and 5.5 s in memory (541 MiB). Ranked searches took 2–10 ms with Xapian and 10–36 ms with '
      'FTS5 from Python (the ranking of every match, then the count). Xapian misses the build budget by 5–10× and '
      'needs 5.5–47× the text; FTS5 could meet them: it keeps no copy of the text here (`content=\'\'`, snippets '
      'made from the page\'s rows) and ranks only the rows the filter kept; whether ours meets them is the tables '
      'above.')
    w('')
    w('Command (`bench/run-all --only search` runs it and writes this section alone):')
    w('')
    w('```sh')
    w(f'ACCIDENTS_DATASHEET={ds} build/release/bench/search_bench')
    w('build/release/src/accidents demo-data --rows 100000 --seed 1 --out demo-100k.csv')
    w('node bench/duckdb/search.mjs demo-100k.csv demo 15')
    w(f'iconv -f latin1 -t utf-8 {ds} > datasheet.utf8.csv && node bench/duckdb/search.mjs datasheet.utf8.csv datasheet 15')
    w('```')
    w('')


def read_json_or_none(figures):
    """The Google Benchmark context of the search figures when it has a load average, else None."""
    context = figures[2]
    return context if 'load_avg' in context else None


def splice_search(previous, raw, ds):
    figures = search_figures(raw)
    section = []
    search_section(section.append, figures, ds, SEARCH_NUMBER)
    return splice_section(previous, SEARCH_NUMBER, SEARCH_TAG, section, search_summary_rows(figures))


def cold_start_figures_of_this_run(raw, cpu_busy):
    """What bench/lambda_cold_start.py measured in this run (RAW/cold-start.json), or None."""
    path = os.path.join(raw, 'cold-start.json')
    if not os.path.exists(path):
        return None
    return dict(read_json(raw, 'cold-start.json'), cpu_busy=list(cpu_busy))


def cold_start_label(d):
    return f'`{d["file"]}` ({d["bytes"]:,} bytes, {", ".join(f"{r:,}" for r in d["rows"])} rows)'


def cold_start_summary_rows(cold, carried):
    if cold is None:
        return [[f'Lambda cold start: exec → first /next, datasheet from S3 {COLD_START_TAG}', 'not measured yet', '', '',
                 f'≤ {COLD_START_BUDGET_MS} ms', f'see section {COLD_START_NUMBER}']]
    tag = f' (carried over, run of {cold["finished"][:10]})' if carried else ''
    rows = []
    for d in cold['datasheets']:
        ours, anchor = d['ours'], d['anchor']
        judged = d['label'] == 'datasheet'
        name = 'the datasheet' if judged else 'the demo datasheet'
        rss_ratio = ours['rss_bytes_median'] / d['bytes']
        rows.append([f'Lambda cold start: exec → first /next, {name} from S3{tag} {COLD_START_TAG}',
                     fmt_ms(ours['init_ms_median']), f'python3 + pandas {fmt_ms(anchor["init_ms_median"])}',
                     f'{anchor["init_ms_median"] / ours["init_ms_median"]:.1f}× faster',
                     f'≤ {COLD_START_BUDGET_MS} ms' if judged else '(not budgeted)',
                     verdict(ours['init_ms_median'] <= COLD_START_BUDGET_MS) if judged else ''])
        rows.append([f'Lambda: RSS after init, {name}{tag} {COLD_START_TAG}',
                     f'{fmt_mib(ours["rss_bytes_median"])} = {rss_ratio:.2f}× file',
                     f'python3 + pandas {fmt_mib(anchor["rss_bytes_median"])}',
                     f'{anchor["rss_bytes_median"] / ours["rss_bytes_median"]:.1f}× less',
                     f'≤ {COLD_START_RSS_BUDGET_RATIO:g}× file', verdict(rss_ratio <= COLD_START_RSS_BUDGET_RATIO)])
    return rows


def cold_start_section(w, cold, carried):
    """The Lambda image's cold start (issue 9), from bench/lambda_cold_start.py's cold-start.json."""
    w(f'## {COLD_START_NUMBER}. Lambda cold start (issue 9)')
    w('')
    w(f'Budgets: init ≤ {COLD_START_BUDGET_MS} ms for the datasheet, RSS after init ≤ {COLD_START_RSS_BUDGET_RATIO:g}× '
      'the file. Measured by `bench/lambda_cold_start.py`: the image built as `make test` builds it (podman, from the '
      'context `cdk synth` stages; tests/lambda/lambda_image.py), its own ENTRYPOINT + CMD run through '
      '`chroot --userspec=65534:65534` on its mounted root against the Runtime API test server, the datasheet '
      'fetched from npm s3rver on loopback (`ASSET_BUCKET`/`ASSET_NAME`, `AWS_ENDPOINT_URL_S3`). Init is the time '
      'from just before the exec to the function\'s first `GET /runtime/invocation/next`; the memory is its '
      '`VmRSS` / `VmHWM` in `/proc/PID/status` at that moment. Anchor, alternating with ours in the same run: the '
      'original\'s init in Debian\'s `/usr/bin/python3` (`bench/lambda_pandas_init.py`: `import pandas`, the same '
      'object fetched from the same s3rver with urllib — the original\'s boto3 would add its own import — '
      '`read_csv(encoding="latin-1")` + `to_datetime`, then its first `/next`), timed the same way. What Lambda '
      'itself adds (fetching the image, starting the sandbox) is in neither figure; a real deploy\'s '
      '`Init Duration` shows it (docs/deploy.md).')
    w('')
    if cold is None:
        w('**Not measured yet**: the image could not be built here (bench/lambda_cold_start.py needs root and podman). '
          'Run `bench/run-all --only cold-start` as root.')
        w('')
        return
    busy = cold['cpu_busy']
    if carried:
        w(f'> **Carried over:** this run could not build the image, so these figures are those of the last run that '
          f'measured them ({cold["finished"]}), with other work using {max(busy)} % of the CPU around that run.')
    else:
        w(f'Measured in this run (finished {cold["finished"]}; other work used {busy[0]} % / {busy[1]} % of the CPU '
          'just before / after measuring).')
    if max(busy) > NOISY_CPU_BUSY_PERCENT:
        w('')
        w(f'> **Noisy run:** other work used up to {max(busy)} % of the CPU around these measurements; ours and the '
          'anchor shared the machine alike, but the absolute times are longer than on a quiet machine.')
    image = cold['image']
    w('')
    w(f'Image `{image["id"]}` ({image["arch"]}, {image["size_bytes"]:,} bytes: the binary, its shared libraries and '
      f'the CA bundle), ENTRYPOINT `{json.dumps(image["entrypoint"])}`, CMD `{json.dumps(image["cmd"])}`; '
      f'{cold["runs"]} runs per datasheet, medians shown.')
    w('')
    rows = []
    for d in cold['datasheets']:
        ours, anchor = d['ours'], d['anchor']
        judged = d['label'] == 'datasheet'
        what = cold_start_label(d)
        rss_ratio = ours['rss_bytes_median'] / d['bytes']
        rows.append([f'{what}: exec → first `/next`', fmt_ms(ours['init_ms_median']), fmt_ms(anchor['init_ms_median']),
                     f'{anchor["init_ms_median"] / ours["init_ms_median"]:.1f}×',
                     f'≤ {COLD_START_BUDGET_MS} ms' if judged else '(not budgeted)',
                     verdict(ours['init_ms_median'] <= COLD_START_BUDGET_MS) if judged else ''])
        rows.append([f'{what}: VmRSS at the first `/next`', f'{fmt_mib(ours["rss_bytes_median"])} = {rss_ratio:.2f}× file',
                     f'{fmt_mib(anchor["rss_bytes_median"])} = {anchor["rss_bytes_median"] / d["bytes"]:.2f}× file',
                     f'{anchor["rss_bytes_median"] / ours["rss_bytes_median"]:.1f}×',
                     f'≤ {COLD_START_RSS_BUDGET_RATIO:g}× file', verdict(rss_ratio <= COLD_START_RSS_BUDGET_RATIO)])
        rows.append([f'{what}: VmHWM (peak) at the first `/next`',
                     f'{fmt_mib(ours["hwm_bytes_median"])} = {ours["hwm_bytes_median"] / d["bytes"]:.2f}× file',
                     f'{fmt_mib(anchor["hwm_bytes_median"])} = {anchor["hwm_bytes_median"] / d["bytes"]:.2f}× file',
                     f'{anchor["hwm_bytes_median"] / ours["hwm_bytes_median"]:.1f}×', '', ''])
    w(table(['figure', 'ours: the image', 'python3 + pandas', 'pandas / ours', 'budget', 'result'], rows))
    w('')
    w('Where our init goes, medians from the function\'s own log (spdlog, millisecond stamps): the load, from '
      '"loading datasheet" to "loaded" (the GET from s3rver and the parse, which reads the object while it '
      'downloads), of it the time until the loader had its first bytes and the time the parser waited for bytes '
      'still on their way, and the rest of the init (exec, dynamic linking of the libraries, the Runtime API '
      'connection):')
    w('')
    w(table(['datasheet', 'exec → first `/next`', 'load: GET + parse', 'of it: until the first bytes',
             'of it: parser waiting for bytes', 'the rest'], [
        [cold_start_label(d), fmt_ms(d['ours']['init_ms_median']), fmt_ms(d['ours_load']['load_ms_median']),
         fmt_ms(d['ours_load']['first_bytes_ms_median']), fmt_ms(d['ours_load']['waiting_ms_median']),
         fmt_ms(d['ours']['init_ms_median'] - d['ours_load']['load_ms_median'])]
        for d in cold['datasheets']]))
    w('')
    for d in cold['datasheets']:
        w(f'- {cold_start_label(d)}, per run, exec → first `/next`: ours ' +
          ', '.join(f'{v:.0f}' for v in d['ours']['init_ms']) + ' ms; python3 + pandas ' +
          ', '.join(f'{v:.0f}' for v in d['anchor']['init_ms']) + f' ms ({d["anchor_report"]}).')
    w('')
    w('Commands:')
    w('')
    w('```sh')
    w('bench/run-all --only cold-start    # this section alone, written into docs/benchmarks.md; or:')
    w(f'/usr/bin/python3 bench/lambda_cold_start.py --runs {cold["runs"]} ' +
      ' '.join(f'--datasheet {d["label"]}={d["file"]}' for d in cold['datasheets']))
    w('```')
    w('')
    w(f'<!-- {COLD_START_MARK} {json.dumps(cold, sort_keys=True)} -->')
    w('')


def soak_summary_rows(raw):
    """Summary rows of the soak test, or none when bench/soak.py did not run."""
    if not os.path.exists(os.path.join(raw, 'soak.json')):
        return []
    k = read_json(raw, 'soak.json')
    fives = k['status'].get('5xx', 0)
    ok = fives == 0 and k['socket_errors'] == 0 and k['server_alive']
    mib = 1 << 20
    bounded = k['rss_max_bytes'] <= k['bound_bytes']
    return [[f'soak: {k["settings"]["seconds"]} s of wrk -c{k["settings"]["connections"]}, SIGHUP every '
             f'{k["settings"]["reload_every_s"]:g} s '
             f'{SOAK_TAG}', f'{k["requests"]:,} requests, {fives} 5xx, {k["socket_errors"]} socket errors',
             f'p50 {k["latency_p50_ms"]:.1f} ms, p99 {k["latency_p99_ms"]:.1f} ms', '', '0 5xx, 0 socket errors',
             verdict(ok)],
            [f'soak: server RSS {SOAK_TAG}', f'max {k["rss_max_bytes"] / mib:.0f} MiB, '
             f'+{k["rss_growth_last_half_bytes"] / mib:.0f} MiB over the last 30 s',
             f'bound {k["bound_bytes"] / mib:.0f} MiB', '', '≤ bound, no growth',
             verdict(bounded and k['rss_growth_last_half_bytes'] <= 0.05 * k['rss_half_bytes'])]]


def soak_section(w, raw, number, ds, cpu_busy=None):
    """The soak test (issue 12, item 3), from bench/soak.py's soak.json."""
    w(f'## {number}. Soak (issue 12)')
    w('')
    w('Budget: 60 s of saturating load (wrk, 256 connections) on a mix of cached and uncached `/query` with random '
      'filters, `/stats`, CSV exports and 4xx requests, through the gateway with `--limits redis://`, while the '
      'datasheet is reloaded (SIGHUP) every 5 s: 0 answers 5xx, 0 socket errors, p50/p99 latency reported, and the '
      'server\'s RSS bounded by the answer cache (256 MiB) + the RSS with the dataset loaded + 64 MiB, with no growth '
      '(≤ 5 %) over the last 30 s. Measured by `bench/soak.py` (`accidents serve --threads 2`, wrk -t2; the 5xx are '
      'counted by its wrk script).')
    w('')
    if not os.path.exists(os.path.join(raw, 'soak.json')):
        w('Not measured in this run.')
        w('')
        return
    k = read_json(raw, 'soak.json')
    mib = 1 << 20
    rows = [['requests', f'{k["requests"]:,}'],
            ['answers by class', ', '.join(f'{c} {n:,}' for c, n in sorted(k['status'].items()))],
            ['socket errors', f'{k["socket_errors"]}'],
            ['latency p50 / p99', f'{k["latency_p50_ms"]:.1f} ms / {k["latency_p99_ms"]:.1f} ms'],
            ['reloads (SIGHUP)', f'{k["reloads"]}'],
            ['RSS with the dataset loaded, before the load', f'{k["rss_loaded_bytes"] / mib:.0f} MiB'],
            ['RSS at 10 s / 30 s / end', f'{k["rss_10s_bytes"] / mib:.0f} / {k["rss_half_bytes"] / mib:.0f} / '
             f'{k["rss_end_bytes"] / mib:.0f} MiB'],
            ['RSS max; growth over the last 30 s', f'{k["rss_max_bytes"] / mib:.0f} MiB; '
             f'{k["rss_growth_last_half_bytes"] / mib:+.0f} MiB'],
            ['bound: cache + loaded + constant', f'{k["bound_bytes"] / mib:.0f} MiB']]
    w(table(['figure', 'value'], rows))
    w('')
    for row in soak_summary_rows(raw):
        w(f'- {row[0].replace(" " + SOAK_TAG, "")}: {row[5]}')
    w('')
    if cpu_busy is not None:
        w(f'CPU busy with other work over 3 s before / after: {cpu_busy[0]} % / {cpu_busy[1]} %.')
        w('')
    w('```sh')
    w(f'/usr/bin/python3 bench/soak.py --accidents build/release/src/accidents --data {ds} --tmp "$(mktemp -d)"'
      '    # or: bench/run-all --only soak')
    w('```')
    w('')


def splice_soak(previous, raw, ds, cpu_busy):
    section = []
    soak_section(section.append, raw, SOAK_NUMBER, ds, cpu_busy)
    return splice_section(previous, SOAK_NUMBER, SOAK_TAG, section, soak_summary_rows(raw))


def reproduce_section(w):
    w('## Reproduce everything')
    w('')
    w('```sh')
    w('make bench               # = scripts/install-deps, release build, then bench/run-all')
    w('bench/run-all            # the same without install-deps; ACCIDENTS_DATASHEET=FILE picks another datasheet')
    w('bench/run-all --scale    # also section 6 (10 million rows; ACCIDENTS_SCALE=1 make bench does the same)')
    w(f'bench/run-all --only cold-start   # section {COLD_START_NUMBER} alone (root and podman), the rest of this '
      'file kept')
    w(f'bench/run-all --only canonical    # section {CANONICAL_NUMBER} alone, the rest of this file kept')
    w('bench/run-all --only loader       # the load beside DuckDB (issue 11\'s budgets, section 1), the rest kept')
    w(f'bench/run-all --only search       # section {SEARCH_NUMBER} alone, the rest of this file kept')
    w(f'bench/run-all --only gateway      # section {GATEWAY_NUMBER} alone, the rest of this file kept')
    w(f'bench/run-all --only soak         # section {SOAK_NUMBER} alone, the rest of this file kept')
    w('```')
    w('')
    w('Notes:')
    w('')
    w('- Debian\'s `libbenchmark` prints "Library was built as DEBUG"; that concerns the Google Benchmark library '
      'itself, not the code measured, which is built by the `release` preset.')
    w('- DuckDB rejects the latin-1 file, so it loads a UTF-8 copy made with `iconv -f latin1 -t utf-8` (outside the '
      'repository); pandas and ours read the original file.')
    w('- pandas runs under Debian\'s `/usr/bin/python3` with `python3-pandas`; the original handler\'s work is timed '
      'in process, without the Lambda or HTTP around it.')


def splice_section(previous, number, tag, section, summary_rows):
    """`previous` (a docs/benchmarks.md) with section `number` (the lines `section`) and the summary rows whose
    first cell ends in `tag` written anew, every other line kept; the closing text written anew too."""
    lines = previous.rstrip('\n').split('\n')
    summary = lines.index('## Summary')
    start = next(i for i in range(summary, len(lines)) if lines[i].startswith('|'))
    end = next(i for i in range(start, len(lines)) if not lines[i].startswith('|'))
    tags = (tag,) if isinstance(tag, str) else tag
    kept = [row for row in lines[start:end] if not any(t in row.split('|')[1] for t in tags)]
    rows = table(['', '', '', '', '', ''], summary_rows).split('\n')[2:]
    lines[start:end] = kept + rows

    closing = []
    reproduce_section(closing.append)
    tail = lines.index('## Reproduce everything')
    lines[tail:] = closing
    numbered = [(i, int(m.group(1))) for i, line in enumerate(lines) if (m := re.match(r'## (\d+)\. ', line))]
    begin = next((i for i, n in numbered if n >= number), tail)
    stop = begin
    if begin < tail and lines[begin].startswith(f'## {number}. '):
        stop = next((i for i, _ in numbered if i > begin), tail)
    return '\n'.join(lines[:begin] + section + lines[stop:])


def splice_cold_start(previous, cold):
    section = []
    cold_start_section(section.append, cold, False)
    return splice_section(previous, COLD_START_NUMBER, COLD_START_TAG, section, cold_start_summary_rows(cold, False))


def splice_gateway(previous, raw, ds, cpu_busy):
    section = []
    gateway_section(section.append, raw, ds, GATEWAY_NUMBER, cpu_busy)
    return splice_section(previous, GATEWAY_NUMBER, GATEWAY_TAGS, section, gateway_summary_rows(raw))


def splice_canonical(previous, core, ds):
    section = []
    canonical_section(section.append, core, google_benchmark_medians(core), ds, CANONICAL_NUMBER)
    return splice_section(previous, CANONICAL_NUMBER, CANONICAL_TAG, section, canonical_summary_rows(core))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--raw', required=True)
    ap.add_argument('--datasheet', required=True, help='as given on the command lines shown')
    ap.add_argument('--started', required=True)
    ap.add_argument('--cpu-busy', nargs=2, type=int, required=True, metavar=('BEFORE', 'AFTER'),
                    help='percent of CPU time used by others just before and just after measuring')
    ap.add_argument('--previous', help='the docs/benchmarks.md being replaced, to carry its scale and cold-start '
                    'figures over')
    ap.add_argument('--only', choices=['cold-start', 'canonical', 'loader', 'search', 'gateway', 'soak'],
                    help='write --previous again with only this section (and its summary rows) measured anew')
    args = ap.parse_args()
    raw = args.raw
    cold = cold_start_figures_of_this_run(raw, args.cpu_busy)
    if args.only == 'search':
        if search_figures(raw) is None or not args.previous or not os.path.exists(args.previous):
            raise SystemExit('report: --only search needs RAW/search.json and --previous')
        with open(args.previous) as f:
            print(splice_search(f.read(), raw, args.datasheet))
        return 0
    if args.only == 'canonical':
        if not args.previous or not os.path.exists(args.previous):
            raise SystemExit('report: --only canonical needs RAW/core.json and --previous')
        with open(args.previous) as f:
            print(splice_canonical(f.read(), read_json(raw, 'core.json'), args.datasheet))
        return 0
    if args.only == 'loader':
        if not args.previous or not os.path.exists(args.previous):
            raise SystemExit('report: --only loader needs RAW/loader-budgets.md and --previous')
        with open(args.previous) as f:
            print(splice_loader(f.read(), loader_block_of(read_text(raw, 'loader-budgets.md'), args.started, args.cpu_busy)), end='')
        return 0
    # Sections measured by a script of their own, each from its RAW/<name>.json.
    spliced = {'soak': ('soak.json', splice_soak), 'gateway': ('gateway.json', splice_gateway)}
    if args.only in spliced:
        name, splice = spliced[args.only]
        if not os.path.exists(os.path.join(raw, name)) or not args.previous or not os.path.exists(args.previous):
            raise SystemExit(f'report: --only {args.only} needs RAW/{name} and --previous')
        with open(args.previous) as f:
            print(splice(f.read(), raw, args.datasheet, args.cpu_busy))
        return 0
    if args.only == 'cold-start':
        if cold is None or not args.previous or not os.path.exists(args.previous):
            raise SystemExit('report: --only cold-start needs RAW/cold-start.json and --previous')
        with open(args.previous) as f:
            print(splice_cold_start(f.read(), cold))
        return 0
    cold_carried = cold is None
    if cold is None:
        cold = figures_of_previous_run(args.previous, COLD_START_MARK)

    core = read_json(raw, 'core.json')
    medians = google_benchmark_medians(core)
    pandas = read_json(raw, 'pandas.json')
    duckdb = read_json(raw, 'duckdb.json')
    http = read_json(raw, 'http.json')
    dq = read_json(raw, 'duckdb-queries.json')
    scale = scale_figures_of_this_run(raw, args.cpu_busy)
    scale_carried = scale is None
    if scale is None:
        scale = figures_of_previous_run(args.previous, SCALE_MARK)
    import_report = read_text(raw, 'import.txt').splitlines()[0]
    import_time = read_text(raw, 'import-time.txt')
    import_rss = rss_bytes(import_time)
    import_wall = wall_clock(import_time)
    import_load_ms = float(re.search(r'rows loaded in ([\d.]+) ms', import_report).group(1))
    file_bytes = os.path.getsize(args.datasheet)
    ds = args.datasheet
    previous_text = ''
    if args.previous and os.path.exists(args.previous):
        with open(args.previous) as f:
            previous_text = f.read()

    load_ms, load_bench = medians['load_datasheet']
    warm_ms = medians['service_warm/query_1982'][0]
    warm_gzip_ms = medians['service_warm/query_1982_gzip'][0]
    uncached_ms = medians['router_uncached/query_1982'][0]
    years_warm_ms = medians['service_warm/years'][0]
    years_uncached_ms = medians['router_uncached/years'][0]
    rss_ratio = import_rss / file_bytes

    # Issue 4 on the 2019 datasheet: the API's figure (Router, uncached) is the one judged.
    filter_ms, filter_b = medians['router_uncached/query_cessna_fatal_count']
    filter_engine_ms, filter_engine_b = medians['select_rows/cessna_fatal_count']
    group_ms, group_b = medians['router_uncached/stats_year_injuries']
    group_engine_ms, group_engine_b = medians['aggregate/year_injuries']
    year_json_b = medians['router_uncached/query_1982'][1]
    dq_filter, dq_group, dq_json = (dq['queries'][k] for k in ('filter_count', 'group_by_year', 'year_1982_json'))
    runs = http['runs']
    s = http['settings']

    def http_row(name, ours, nginx, label):
        o, n = runs[f'{ours}/{name}'], runs[f'{nginx}/{name}']
        ratio = http['comparisons'][f'{ours}/{name}']['ratio_median']
        errors = o['non_2xx'] + o['socket_errors'] + n['non_2xx'] + n['socket_errors']
        return ratio, [label, fmt_rate(o['requests_per_s_median']), fmt_rate(n['requests_per_s_median']),
                       f'{ratio:.2f}×', f'≥ {HTTP_BUDGET_RATIO}×', verdict(ratio >= HTTP_BUDGET_RATIO),
                       f'{o["latency_avg_ms_median"]:.2f} / {n["latency_avg_ms_median"]:.2f} ms',
                       str(errors)]

    years_ratio, years_row = http_row('years', 'accidents', 'nginx', 'ours `--no-access-log` vs nginx `access_log off`')
    _, years_log_row = http_row('years', 'accidents_log', 'nginx_log', 'ours, access log to a file vs nginx, access log to a file')
    gzip_ratio, gzip_row = http_row('query_1982_gzip', 'accidents', 'nginx', 'ours `--no-access-log` vs nginx `access_log off`')
    _, gzip_log_row = http_row('query_1982_gzip', 'accidents_log', 'nginx_log', 'ours, access log to a file vs nginx, access log to a file')
    http_header = ['pair', 'ours', 'nginx', 'ours / nginx', 'budget', 'result', 'mean latency ours / nginx', 'errors']
    wrk_cmd = f'wrk -t{s["wrk_threads"]} -c{s["connections"]} -d{s["seconds"]}s --latency'
    http_cmd = (f'/usr/bin/python3 bench/http_bench.py --accidents build/release/src/accidents --data {ds} '
                f'--tmp "$(mktemp -d)" --raw build/bench/http --seconds {s["seconds"]} --rounds {s["rounds"]}')
    gb = f'ACCIDENTS_DATASHEET={ds} build/release/bench/accidents_bench'

    out = []
    w = out.append
    w('# Benchmarks')
    w('')
    w('Written by `make bench` (that is `bench/run-all`, which builds what it needs, runs everything below in one go '
      'and rewrites this file). Every figure sits beside its anchor measured **in the same run**, on '
      f'`{ds}` ({file_bytes:,} bytes, {pandas["rows"]:,} rows). Raw outputs stay in `build/bench/` '
      '(not committed). Timings are never pass/fail tests; the results below only compare with the budget of '
      'issues 2 and 4 / DESIGN.md.')
    if max(args.cpu_busy) > NOISY_CPU_BUSY_PERCENT:
        w('')
        w(f'> **Noisy run:** other work used {max(args.cpu_busy)} % of the CPU around the measurements (see Machine); '
          'treat these figures as rough and run `make bench` again on a quiet machine.')
    w('')
    w('## Machine')
    w('')
    w(table(['', ''], [[k, v] for k, v in machine(args.started, core.get('context', {}), args.cpu_busy)]))
    w('')
    w('## Summary')
    w('')
    w(table(['work', 'ours', 'anchor, same run', 'ratio', 'budget', 'result'], [
        ['load to ready', fmt_ms(load_ms), f'pandas {fmt_ms(pandas["load_ms_median"])}; DuckDB {fmt_ms(duckdb["load_ms_median"])}',
         f'{pandas["load_ms_median"] / load_ms:.1f}× / {duckdb["load_ms_median"] / load_ms:.1f}× faster',
         f'≤ {LOAD_BUDGET_MS} ms', verdict(load_ms <= LOAD_BUDGET_MS)],
        ['load: peak RSS', f'{fmt_mib(import_rss)} = {rss_ratio:.2f}× file', f'pandas {fmt_mib(pandas["load_rss_peak_bytes"])}',
         f'{pandas["load_rss_peak_bytes"] / import_rss:.1f}× less', f'≤ {RSS_BUDGET_RATIO:g}× file', verdict(rss_ratio <= RSS_BUDGET_RATIO)],
        ['`/query?year=1982` handler, warm', fmt_us(warm_ms), f'original handler {fmt_ms(pandas["handler_ms_median"])}',
         f'{pandas["handler_ms_median"] / warm_ms:,.0f}× faster', f'≤ {HANDLER_BUDGET_US} µs', verdict(warm_ms * 1000 <= HANDLER_BUDGET_US)],
        ['HTTP `/api/years`', fmt_rate(runs['accidents/years']['requests_per_s_median']),
         f'nginx {fmt_rate(runs["nginx/years"]["requests_per_s_median"])}', f'{years_ratio:.2f}×',
         f'≥ {HTTP_BUDGET_RATIO}× nginx', verdict(years_ratio >= HTTP_BUDGET_RATIO)],
        ['HTTP `/api/query?year=1982`, gzip', fmt_rate(runs['accidents/query_1982_gzip']['requests_per_s_median']),
         f'nginx `gzip_static` {fmt_rate(runs["nginx/query_1982_gzip"]["requests_per_s_median"])}', f'{gzip_ratio:.2f}×',
         f'≥ {HTTP_BUDGET_RATIO}× nginx', verdict(gzip_ratio >= HTTP_BUDGET_RATIO)],
        ['filter over all rows + count, API (issue 4)', fmt_ms(filter_ms), f'DuckDB {fmt_ms(dq_filter["ms_median"])}',
         f'{dq_filter["ms_median"] / filter_ms:.1f}× faster', f'≤ {ANALYSIS_BUDGETS_MS["filter"]:g} ms',
         verdict(filter_ms <= ANALYSIS_BUDGETS_MS['filter'])],
        ['group by year + injury sums, API (issue 4)', fmt_ms(group_ms), f'DuckDB {fmt_ms(dq_group["ms_median"])}',
         f'{dq_group["ms_median"] / group_ms:.1f}× faster', f'≤ {ANALYSIS_BUDGETS_MS["group"]:g} ms',
         verdict(group_ms <= ANALYSIS_BUDGETS_MS['group'])],
        ['a year\'s rows as JSON (1982), uncached (issue 4)', fmt_ms(uncached_ms),
         f'DuckDB `COPY … (FORMAT JSON)` {fmt_ms(dq_json["ms_median"])}', f'{dq_json["ms_median"] / uncached_ms:.1f}× faster',
         f'≤ {ANALYSIS_BUDGETS_MS["year_json"]:g} ms', verdict(uncached_ms <= ANALYSIS_BUDGETS_MS['year_json'])],
        *scale_summary_rows(scale, scale_carried),
        *gateway_summary_rows(raw),
        *soak_summary_rows(raw),
        *canonical_summary_rows(core),
        *packed_summary_rows(core),
        *cold_start_summary_rows(cold, cold_carried),
        *search_summary_rows(search_figures(raw)),
    ]))
    w('')
    w('Medians throughout. The HTTP rows of the summary compare both servers without access log (the logged pair is '
      'in its section); their ratio is the median of the per-round ratios, each round measuring the two back to back, '
      'so it need not equal the quotient of the two medians shown. The issue 4 rows judge the API\'s figure '
      '(`Router::handle`, parameters parsed and JSON written, nothing cached); the engine alone is in section 5. '
      'The 10M rows come from `bench/run-all --scale` (section 6).')
    w('')

    w('## 1. Load to ready')
    w('')
    w(f'Budget ≤ {LOAD_BUDGET_MS} ms and peak RSS ≤ {RSS_BUDGET_RATIO:g}× the file. '
      f'Issue\'s anchors on a 2-core machine: {ISSUE_ANCHORS["load"]}.')
    w('')
    w(table(['figure', 'value', 'anchor / ours', 'budget', 'result'], [
        [f'ours: `DatasetLoader::load_file`, median of {load_bench["repetitions"]} repetitions', fmt_ms(load_ms), '', f'≤ {LOAD_BUDGET_MS} ms',
         verdict(load_ms <= LOAD_BUDGET_MS)],
        [f'pandas {pandas["pandas_version"]}: `read_csv(encoding="latin-1")` + `to_datetime`, median of {len(pandas["load_ms"])} '
         f'(best {fmt_ms(pandas["load_ms_best"])})', fmt_ms(pandas['load_ms_median']), f'{pandas["load_ms_median"] / load_ms:.2f}×', '', ''],
        [f'DuckDB {duckdb["duckdb_version"]} ({duckdb["threads"]} threads): `CREATE TABLE AS SELECT * FROM read_csv(…)` on a UTF-8 copy, '
         f'median of {duckdb["runs"]} (best {fmt_ms(duckdb["load_ms_best"])})', fmt_ms(duckdb['load_ms_median']),
         f'{duckdb["load_ms_median"] / load_ms:.2f}×', '', ''],
        ['ours: `accidents import`, one run, its own report', fmt_ms(import_load_ms), '', '', ''],
    ]))
    w('')
    w(table(['peak RSS', 'bytes', '× file', 'budget', 'result'], [
        [f'ours: `accidents import` (whole process, `/usr/bin/time -v`, wall {import_wall})', fmt_mib(import_rss), f'{rss_ratio:.2f}×',
         f'≤ {RSS_BUDGET_RATIO:g}×', verdict(rss_ratio <= RSS_BUDGET_RATIO)],
        ['pandas: a fresh `python3` process after one load (`ru_maxrss`)', fmt_mib(pandas['load_rss_peak_bytes']),
         f'{pandas["load_rss_peak_bytes"] / file_bytes:.2f}×', '', ''],
        ['pandas: the same, less the RSS after `import pandas`', fmt_mib(pandas['load_rss_delta_bytes']),
         f'{pandas["load_rss_delta_bytes"] / file_bytes:.2f}×', '', ''],
        ['DuckDB: the whole `node` process after all its loads (`maxRSS`)', fmt_mib(duckdb['peak_rss_bytes']),
         f'{duckdb["peak_rss_bytes"] / file_bytes:.2f}×', '', ''],
    ]))
    packed = packed_rows(core)
    if packed:
        w('')
        w('The datasheet as users download it (issue 11): `storage::DatasheetSource::load` of the packed file, which '
          'inflates on a thread of its own while the loader parses behind it, against the plain file, alternating, '
          f'{int(load_packed_cost(core, False)["pairs"])} pairs; medians, and the median of the per-pair ratios.')
        w('')
        w(table(['packed datasheet', 'load, packed', 'load, plain', 'packed / plain', 'budget', 'result'], packed))
    w('')
    w('Commands:')
    w('')
    w('```sh')
    w(f'{gb} --benchmark_filter=load_datasheet')
    if packed:
        w(f'{gb} --benchmark_filter=load_packed_cost')
    w(f'/usr/bin/time -v build/release/src/accidents import --data {ds}   # "Maximum resident set size"')
    w(f'/usr/bin/python3 bench/pandas_anchor.py {ds}')
    w(f'(cd bench/duckdb && npm ci) && iconv -f latin1 -t utf-8 {ds} > /tmp/AviationData.utf8.csv && '
      f'node bench/duckdb/load.mjs /tmp/AviationData.utf8.csv {duckdb["runs"]}')
    w('```')
    w('')
    if previous_text and loader_block(previous_text):
        w(loader_block(previous_text).rstrip('\n'))  # measured apart (`--only loader`), carried over
        w('')

    w('## 2. `/query?year=1982` handler, warm')
    w('')
    w(f'Budget ≤ {HANDLER_BUDGET_US} µs. Issue\'s anchor on a 2-core machine: {ISSUE_ANCHORS["handler"]}. '
      'The original handler re-read and parsed the CSV on every request; ours answers from the Service\'s cache '
      '(what every request after the first costs, transport aside). The uncached Router call is what a cache miss costs.')
    w('')
    w(table(['figure', 'median', 'original / ours', 'budget', 'result'], [
        [f'ours: `Service::handle` `/api/query?year=1982`, cached ({int(medians["service_warm/query_1982"][1]["body_bytes"]):,} bytes)',
         fmt_us(warm_ms), f'{pandas["handler_ms_median"] / warm_ms:,.0f}×', f'≤ {HANDLER_BUDGET_US} µs', verdict(warm_ms * 1000 <= HANDLER_BUDGET_US)],
        [f'ours: the same with `Accept-Encoding: gzip` ({int(medians["service_warm/query_1982_gzip"][1]["body_bytes"]):,} bytes)',
         fmt_us(warm_gzip_ms), f'{pandas["handler_ms_median"] / warm_gzip_ms:,.0f}×', f'≤ {HANDLER_BUDGET_US} µs',
         verdict(warm_gzip_ms * 1000 <= HANDLER_BUDGET_US)],
        ['ours: `Router::handle`, uncached (builds the JSON from the Dataset)', fmt_ms(uncached_ms),
         f'{pandas["handler_ms_median"] / uncached_ms:,.0f}×', '', ''],
        [f'original handler, pandas {pandas["pandas_version"]}: `read_csv` + `to_datetime` + `Year` + filter + '
         f'`to_json(orient="records")`, median of {len(pandas["handler_ms"])} ({pandas["handler_records"]:,} records, '
         f'{pandas["handler_body_bytes"]:,} bytes)', fmt_ms(pandas['handler_ms_median']), '', '', ''],
        ['ours: `Service::handle` `/api/years`, cached', fmt_us(years_warm_ms), '', '', ''],
        ['ours: `Router::handle` `/api/years`, uncached', fmt_us(years_uncached_ms), '', '', ''],
    ]))
    w('')
    w('Commands:')
    w('')
    w('```sh')
    w(f"{gb} --benchmark_filter='service_warm|router_uncached'")
    w(f'/usr/bin/python3 bench/pandas_anchor.py {ds}   # "handler_ms_median"')
    w('```')
    w('')
    w('A cached answer costs well under a microsecond, less than this machine\'s noise between two runs; two builds '
      'are compared by the instructions a call executes, which callgrind counts exactly '
      '(`bench/instructions-per-call`: the first call of a case and the later ones, separated). Issue 13\'s '
      'consolidation against the build before it (e14cc76), measured 2026-12-01 on 3fe5b87:')
    w('')
    w(table(['`Service::handle`, later calls', 'e14cc76', '3fe5b87', 'after / before'], [
        ['`/api/query?year=1982`', '6,243', '6,021', '0.96×'],
        ['the same, gzip', '7,013', '6,667', '0.95×'],
        ['`/api/years`', '3,697', '3,546', '0.96×'],
    ]))
    w('')
    w('```sh')
    w(f"ACCIDENTS_DATASHEET={ds} bench/instructions-per-call build/release/bench/accidents_bench "
      "service_warm/years 'accidents::api::Service::handle('")
    w('```')
    w('')

    for number, name, title, anchor_key, rows in (
        (3, 'years', 'HTTP `/api/years` req/s', 'years', (years_row, years_log_row)),
        (4, 'query_1982_gzip', 'HTTP `/api/query?year=1982`, gzip', 'gzip', (gzip_row, gzip_log_row)),
    ):
        sizes = http['responses'][f'accidents/{name}']['body_bytes']
        w(f'## {number}. {title}')
        w('')
        w(f'Budget ≥ {HTTP_BUDGET_RATIO}× nginx serving the same bytes'
          f'{" with `gzip_static on`" if name != "years" else ""}. Issue\'s anchor on a 2-core machine: {ISSUE_ANCHORS[anchor_key]}. '
          f'Body {sizes:,} bytes{" (gzip)" if name != "years" else ""}, identical from both servers (checked before measuring).')
        w('')
        w(table(http_header, list(rows)))
        w('')
        w('Per round, req/s: ' + '; '.join(
            f'{key.split("/")[0]} ' + ', '.join(f'{r / 1000:.1f}k' for r in runs[key]['requests_per_s'])
            for key in (f'accidents/{name}', f'nginx/{name}', f'accidents_log/{name}', f'nginx_log/{name}')) +
          '. Per round, ours / nginx: ' + '; '.join(
            f'{key.split("/")[0]} ' + ', '.join(f'{r:.2f}' for r in http['comparisons'][key]['ratios'])
            for key in (f'accidents/{name}', f'accidents_log/{name}')) + '.')
        w('')

    w('How the HTTP figures were measured:')
    w('')
    w(f'- Both servers on 127.0.0.1 with {s["workers"]} workers: `accidents serve --threads {s["workers"]}` and nginx '
      f'`worker_processes {s["workers"]}` ({http["nginx_version"].replace("nginx version: ", "")}), with a config generated into a temp dir. '
      'nginx serves the exact bytes fetched from our server as static files (`/api/query` mapped to the 1982 answer, '
      'with our gzip body beside it as `.gz` for `gzip_static on`), `sendfile on`, `keepalive_requests` unlimited like ours.')
    w('- Access log: the pair in the summary runs ours with `--no-access-log` and nginx with `access_log off`; '
      'the second pair runs ours with its default access log (stdout redirected to a file) and nginx with '
      '`access_log` to a file.')
    w(f'- Load: `{wrk_cmd} URL` ({http["wrk_version"].split(" [")[0]}), with `-H \'Accept-Encoding: gzip\'` for the gzip case; '
      f'{s["rounds"]} rounds of {s["seconds"]} s per server and URL, the order of the servers alternating each round, '
      'after a 2 s warm-up of each; req/s is the median round, ours / nginx the median of the per-round ratios. '
      'wrk shares the 2 cores with the server under test, alike for both servers.')
    w('')
    w('Command:')
    w('')
    w('```sh')
    w(http_cmd)
    w('```')
    w('')
    w('## 5. Analysis API (issue 4)')
    w('')
    w(f'Budgets of issue 4 on the 2019 datasheet, each beside DuckDB {dq["duckdb_version"]} ({dq["threads"]} threads) '
      'through its Node API in the same run. Issue\'s anchors on a 2-core machine: filter '
      f'{ANALYSIS_ANCHORS["filter"]}, group by {ANALYSIS_ANCHORS["group"]}, a year as JSON {ANALYSIS_ANCHORS["year_json"]}. '
      f'DuckDB loads a UTF-8 copy once ({dq["rows"]:,} rows, `Event.Date` read as {dq["event_date_type"]}), then '
      f'each statement runs once to warm up and {dq["runs"]} times timed, in process (`connection.run` + `getRows`); '
      'the median is shown. Ours: median of 5 Google Benchmark repetitions, each many calls, on the Dataset loaded once. '
      'The answers are compared: the last column gives ours / DuckDB.')
    w('')
    w(table(['figure', 'median', 'DuckDB / ours', 'budget', 'result', 'answer, ours / DuckDB'], [
        [f'filter over all rows + count, API: `Router::handle` `{FILTER_QUERY}` (X-Total-Count)', fmt_ms(filter_ms),
         f'{dq_filter["ms_median"] / filter_ms:.1f}×', f'≤ {ANALYSIS_BUDGETS_MS["filter"]:g} ms',
         verdict(filter_ms <= ANALYSIS_BUDGETS_MS['filter']), f'{int(filter_b["total_count"]):,} / {dq_filter["count"]:,} rows'],
        ['filter over all rows + count, engine: `select_rows` (raw Make = Cessna, Total.Fatal.Injuries > 0) and `size()`',
         fmt_ms(filter_engine_ms), f'{dq_filter["ms_median"] / filter_engine_ms:.1f}×', f'≤ {ANALYSIS_BUDGETS_MS["filter"]:g} ms',
         verdict(filter_engine_ms <= ANALYSIS_BUDGETS_MS['filter']), f'{int(filter_engine_b["count"]):,} / {dq_filter["count"]:,} rows'],
        [f'DuckDB: `{dq_filter["sql"]}` (best {fmt_ms(dq_filter["ms_best"])})', fmt_ms(dq_filter['ms_median']), '', '', '', ''],
        [f'group by year + count, fatal, serious, minor, uninjured, API: `Router::handle` `{STATS_QUERY}` '
         f'({int(group_b["body_bytes"]):,} bytes)', fmt_ms(group_ms), f'{dq_group["ms_median"] / group_ms:.1f}×',
         f'≤ {ANALYSIS_BUDGETS_MS["group"]:g} ms', verdict(group_ms <= ANALYSIS_BUDGETS_MS['group']), ''],
        ['group by year + the same five metrics, engine: `aggregate` (GroupKey year of Event.Date)', fmt_ms(group_engine_ms),
         f'{dq_group["ms_median"] / group_engine_ms:.1f}×', f'≤ {ANALYSIS_BUDGETS_MS["group"]:g} ms',
         verdict(group_engine_ms <= ANALYSIS_BUDGETS_MS['group']),
         f'{int(group_engine_b["groups"]):,} / {dq_group["groups"]:,} groups, {int(group_engine_b["rows_counted"]):,} / '
         f'{dq_group["rows_counted"]:,} rows counted'],
        [f'DuckDB: `{dq_group["sql"]}` (best {fmt_ms(dq_group["ms_best"])})', fmt_ms(dq_group['ms_median']), '', '', '', ''],
        [f'a year\'s rows as JSON, API: `Router::handle` `/api/query?year=1982`, uncached ({int(year_json_b["body_bytes"]):,} bytes; '
         'the row of section 2)', fmt_ms(uncached_ms), f'{dq_json["ms_median"] / uncached_ms:.1f}×',
         f'≤ {ANALYSIS_BUDGETS_MS["year_json"]:g} ms', verdict(uncached_ms <= ANALYSIS_BUDGETS_MS['year_json']),
         f'{int(year_json_b["total_count"]):,} / {dq_json["rows"]:,} rows'],
        [f'DuckDB: `{dq_json["sql"]}`, to a file in a temp dir ({dq_json["file_bytes"]:,} bytes; best {fmt_ms(dq_json["ms_best"])})',
         fmt_ms(dq_json['ms_median']), '', '', '', ''],
    ]))
    w('')
    w('Per run, DuckDB ms: ' + '; '.join(
        f'{k} ' + ', '.join(f'{v:.1f}' for v in dq['queries'][k]['ms']) for k in ('filter_count', 'group_by_year', 'year_1982_json')) + '.')
    w('')
    w('Commands:')
    w('')
    w('```sh')
    w(f"{gb} --benchmark_filter='select_rows|aggregate|router_uncached/(query_cessna|stats_year|query_1982)'")
    w(f'(cd bench/duckdb && npm ci) && iconv -f latin1 -t utf-8 {ds} > /tmp/AviationData.utf8.csv && '
      f'node bench/duckdb/queries.mjs /tmp/AviationData.utf8.csv {dq["runs"]}')
    w('```')
    w('')

    scale_section(w, scale, scale_carried, 6)
    web_section(w, raw, 7)
    gateway_section(w, raw, ds, GATEWAY_NUMBER)
    canonical_section(w, core, medians, ds, CANONICAL_NUMBER)
    cold_start_section(w, cold, cold_carried)
    search_section(w, search_figures(raw), ds, SEARCH_NUMBER)
    soak_section(w, raw, SOAK_NUMBER, ds)
    reproduce_section(w)
    print('\n'.join(out))
    return 0


if __name__ == '__main__':
    sys.exit(main())
