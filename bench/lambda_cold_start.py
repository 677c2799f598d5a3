"""Cold start of the Lambda image (bench/run-all; docs/benchmarks.md, "Lambda cold start").

Builds the image as the test suite does (tests/lambda/lambda_image.py: `cdk synth`, podman build of
the staged context, layer cache reused), mounts it, and for each datasheet, --runs times:

- ours: the image's own ENTRYPOINT + CMD through `chroot --userspec=65534:65534 ROOT`, the datasheet
  fetched from npm s3rver on loopback (s3://$ASSET_BUCKET/$ASSET_NAME, AWS_ENDPOINT_URL_S3). Measured:
  the time from just before its exec to its first GET /runtime/invocation/next (init over), and its
  VmRSS and VmHWM at that moment (/proc/PID/status), and from its log the part of that time spent
  loading the object (downloaded and parsed at once) and how long the parser waited for its bytes. It then answers one /years event.
- the anchor, alternating with ours: the original's init in Debian's python3
  (bench/lambda_pandas_init.py: `import pandas`, the same object fetched from the same s3rver,
  read_csv + to_datetime), which then asks the same Runtime API test server for its first event;
  measured the same way.

The figures are those of processes started on this machine; what Lambda adds (fetching the image,
starting the sandbox) is not in them. Prints one JSON object; exit code 77 when the image cannot
be built and run here (the reason on stderr).
"""
import argparse
import datetime
import json
import os
import re
import statistics
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(SOURCE, "tests", "lambda"))

import lambda_image  # noqa: E402
from lambda_harness import S3rver, run_function  # noqa: E402

# The function's own log lines around its load (spdlog, millisecond timestamps).
LOADING = re.compile(r"^\[([\d-]+ [\d:.]+)\] \[info\] loading datasheet ", re.M)
LOADED = re.compile(r"^\[([\d-]+ [\d:.]+)\] \[info\] loaded (\d+) rows from \S+ in ([\d.]+) s "
                    r"\(([\d.]+) s of it waiting for bytes still downloading\)", re.M)


def say(line):
    print("== cold start:", line, file=sys.stderr, flush=True)


def measure(run, what):
    if not run.waiting or run.first_next_s is None or run.memory_at_first_next is None:
        raise SystemExit(f"cold start: {what} did not reach its first /next: exit {run.returncode}: {run.stderr[-2000:]}")
    return {"init_ms": run.first_next_s * 1000, "rss_bytes": run.memory_at_first_next["VmRSS"],
            "hwm_bytes": run.memory_at_first_next["VmHWM"]}


def phases(log):
    """Rows loaded, and from the function's log the milliseconds of its load: the whole (from "loading
    datasheet" to "loaded": the GET and the parse, which reads the object while it downloads), the
    part before the loader started (the request until its first bytes), and the part in which the
    parser waited for bytes still on their way."""
    loading, loaded = LOADING.search(log), LOADED.search(log)
    if not loading or not loaded:
        raise SystemExit(f"cold start: the function did not log its load: {log[-2000:]}")
    started, ended = (datetime.datetime.strptime(m.group(1), "%Y-%m-%d %H:%M:%S.%f") for m in (loading, loaded))
    load_ms = (ended - started).total_seconds() * 1000
    loader_ms, waiting_ms = float(loaded.group(3)) * 1000, float(loaded.group(4)) * 1000
    return int(loaded.group(2)), {"load_ms": load_ms, "first_bytes_ms": load_ms - loader_ms,
                                  "waiting_ms": waiting_ms}


def summary(samples, keys=("init_ms", "rss_bytes", "hwm_bytes")):
    return {**{k: [s[k] for s in samples] for k in keys}, **{f"{k}_median": statistics.median(s[k] for s in samples)
                                                              for k in keys}}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--datasheet", action="append", required=True, metavar="LABEL=FILE",
                    help="a datasheet to measure, named LABEL in the report (repeat)")
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--work", default=os.path.join(SOURCE, "build", "bench", "lambda-image"))
    ap.add_argument("--image", default="localhost/accidents-lambda:bench")
    args = ap.parse_args()

    arch = lambda_image.HOST_ARCH
    reason = lambda_image.unusable_reason(SOURCE, arch)
    if reason:
        print(f"cold start: not measured: {reason}", file=sys.stderr)
        return 77
    image, staged = lambda_image.build_from_cdk(SOURCE, args.work, f"linux/{arch}", args.image, say=say)
    with open(os.path.join(SOURCE, "deploy", "events", "rest-v1-years.json")) as f:
        years_event = json.load(f)
    anchor_argv = ["/usr/bin/python3", os.path.join(HERE, "lambda_pandas_init.py")]

    results = []
    with lambda_image.mounted(image) as root, tempfile.TemporaryDirectory() as tmp, \
            S3rver(os.path.join(tmp, "s3")) as s3rver:
        for spec in args.datasheet:
            label, path = spec.split("=", 1)
            key = f"{label}/AviationData.csv"
            with open(path, "rb") as f:
                s3rver.put(key, f.read())
            env = s3rver.function_env(key)
            ours, anchor, rows, loads, anchor_log = [], [], set(), [], ""
            for n in range(args.runs):
                say(f"{label}: run {n + 1} of {args.runs}")
                run = run_function(image.argv(root), dict(image.env, **env), [years_event])
                ours.append(measure(run, "the image"))
                answered = [json.loads(body)["statusCode"] for _, body, _ in run.posted]
                if answered != [200]:
                    raise SystemExit(f"cold start: the image answered /years with {answered}: {run.stderr[-2000:]}")
                n, load = phases(run.stdout + run.stderr)
                rows.add(n)
                loads.append(load)
                run = run_function(anchor_argv, dict(os.environ, **env), [])
                anchor.append(measure(run, "the pandas anchor"))
                anchor_log = run.stderr.strip().splitlines()[-1]
            results.append({"label": label, "file": path, "bytes": os.path.getsize(path), "key": key,
                            "rows": sorted(rows), "ours": summary(ours),
                            "ours_load": summary(loads, ("load_ms", "first_bytes_ms", "waiting_ms")),
                            "anchor": summary(anchor), "anchor_report": anchor_log})

    print(json.dumps({
        "finished": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "runs": args.runs,
        "image": {"id": image.id[:12], "tag": args.image, "arch": image.arch, "size_bytes": image.size,
                  "entrypoint": image.entrypoint, "cmd": image.cmd, "context_files": staged["files"]},
        "datasheets": results,
    }, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
