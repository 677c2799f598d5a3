"""pandas anchors of the benchmark table (bench/run-all), run with Debian's /usr/bin/python3 and its
python3-pandas 1.5:

- load: pd.read_csv(FILE, encoding='latin-1') + pd.to_datetime(df['Event.Date']), in process,
  best and median of --load-runs; and the peak RSS of one load, measured in a fresh child process
  so that the timed loads above do not inflate it.
- handler: what the original /query?year= handler did on every request (it re-read the CSV each
  time): read_csv + to_datetime + Year + filter + to_json(orient='records'), median of
  --handler-runs calls.

Prints one JSON object.
"""

import argparse
import json
import resource
import statistics
import subprocess
import sys
import time
import warnings

import pandas as pd

# Mixed-type columns make read_csv warn; the original ignored it, and so does the anchor.
warnings.simplefilter('ignore', pd.errors.DtypeWarning)


def load(path):
    df = pd.read_csv(path, encoding='latin-1')
    df['Event.Date'] = pd.to_datetime(df['Event.Date'])
    return df


def original_handler(path, year):
    df = load(path)
    df['Year'] = df['Event.Date'].dt.year
    return df[df.Year == year].to_json(orient='records')


def timed(fn, runs):
    millis = []
    result = None
    for _ in range(runs):
        started = time.perf_counter()
        result = fn()
        millis.append((time.perf_counter() - started) * 1000)
    return millis, result


def peak_rss_child(path):
    """Run in a fresh interpreter: the peak RSS after importing pandas, then after one load."""
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    df = load(path)
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    print(json.dumps({'rows': len(df), 'rss_before_bytes': before, 'rss_peak_bytes': after}))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('file')
    ap.add_argument('--load-runs', type=int, default=5)
    ap.add_argument('--handler-runs', type=int, default=3)
    ap.add_argument('--year', type=int, default=1982)
    ap.add_argument('--rss-child', action='store_true', help=argparse.SUPPRESS)
    args = ap.parse_args()

    if args.rss_child:
        peak_rss_child(args.file)
        return 0

    rss = json.loads(subprocess.run([sys.executable, __file__, '--rss-child', args.file],
                                    check=True, capture_output=True, text=True).stdout)
    load_ms, df = timed(lambda: load(args.file), args.load_runs)
    handler_ms, body = timed(lambda: original_handler(args.file, args.year), args.handler_runs)
    print(json.dumps({
        'pandas_version': pd.__version__,
        'python': sys.version.split()[0],
        'rows': len(df),
        'load_ms': load_ms,
        'load_ms_best': min(load_ms),
        'load_ms_median': statistics.median(load_ms),
        'load_rss_peak_bytes': rss['rss_peak_bytes'],
        'load_rss_delta_bytes': rss['rss_peak_bytes'] - rss['rss_before_bytes'],
        'handler_year': args.year,
        'handler_ms': handler_ms,
        'handler_ms_median': statistics.median(handler_ms),
        'handler_body_bytes': len(body.encode('utf-8')),
        'handler_records': len(json.loads(body)),
    }))
    return 0


if __name__ == '__main__':
    sys.exit(main())
