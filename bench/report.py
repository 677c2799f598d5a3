"""Writes docs/benchmarks.md from the raw outputs that bench/run-all leaves in build/bench/.

    /usr/bin/python3 bench/report.py --raw build/bench --datasheet FILE --started ISO-DATE > docs/benchmarks.md
"""

import argparse
import json
import os
import platform
import re
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


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--raw', required=True)
    ap.add_argument('--datasheet', required=True, help='as given on the command lines shown')
    ap.add_argument('--started', required=True)
    ap.add_argument('--cpu-busy', nargs=2, type=int, required=True, metavar=('BEFORE', 'AFTER'),
                    help='percent of CPU time used by others just before and just after measuring')
    args = ap.parse_args()
    raw = args.raw

    core = read_json(raw, 'core.json')
    medians = google_benchmark_medians(core)
    pandas = read_json(raw, 'pandas.json')
    duckdb = read_json(raw, 'duckdb.json')
    http = read_json(raw, 'http.json')
    import_report = read_text(raw, 'import.txt').splitlines()[0]
    import_time = read_text(raw, 'import-time.txt')
    import_rss = int(re.search(r'Maximum resident set size \(kbytes\): (\d+)', import_time).group(1)) * 1024
    import_wall = re.search(r'Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)', import_time).group(1)
    import_load_ms = float(re.search(r'rows loaded in ([\d.]+) ms', import_report).group(1))
    file_bytes = os.path.getsize(args.datasheet)
    ds = args.datasheet

    load_ms, load_bench = medians['load_datasheet']
    warm_ms = medians['service_warm/query_1982'][0]
    warm_gzip_ms = medians['service_warm/query_1982_gzip'][0]
    uncached_ms = medians['router_uncached/query_1982'][0]
    years_warm_ms = medians['service_warm/years'][0]
    years_uncached_ms = medians['router_uncached/years'][0]
    rss_ratio = import_rss / file_bytes
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
      'issue 2 / DESIGN.md.')
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
    ]))
    w('')
    w('Medians throughout. The HTTP rows of the summary compare both servers without access log (the logged pair is '
      'in its section); their ratio is the median of the per-round ratios, each round measuring the two back to back, '
      'so it need not equal the quotient of the two medians shown.')
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
    w('')
    w('Commands:')
    w('')
    w('```sh')
    w(f'{gb} --benchmark_filter=load_datasheet')
    w(f'/usr/bin/time -v build/release/src/accidents import --data {ds}   # "Maximum resident set size"')
    w(f'/usr/bin/python3 bench/pandas_anchor.py {ds}')
    w(f'(cd bench/duckdb && npm ci) && iconv -f latin1 -t utf-8 {ds} > /tmp/AviationData.utf8.csv && '
      f'node bench/duckdb/load.mjs /tmp/AviationData.utf8.csv {duckdb["runs"]}')
    w('```')
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
    w('## Reproduce everything')
    w('')
    w('```sh')
    w('make bench          # = scripts/install-deps, release build, then bench/run-all')
    w('bench/run-all       # the same without install-deps; ACCIDENTS_DATASHEET=FILE picks another datasheet')
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
    print('\n'.join(out))
    return 0


if __name__ == '__main__':
    sys.exit(main())
