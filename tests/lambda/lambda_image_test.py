#!/usr/bin/env python3
"""The Lambda image as AWS gets it, built and run (issue 9; docs/deploy.md, "The image, locally").

1. lambda_image.build_from_cdk: `cdk synth` of infra/ stages the image's build context, as
   `cdk deploy` does, into cdk.out/asset.<hash>; podman builds that directory
   (`--isolation chroot --network host`, layer cache reused) on localhost/debian:12, which
   scripts/debian-base-image makes with debootstrap when it is missing.
2. The image holds only its entrypoint (an ELF of the platform built for), shared libraries and the
   CA bundle.
3. Its own ENTRYPOINT + CMD and Env (`podman image inspect`) run through
   `chroot --userspec=65534:65534 $(podman image mount IMAGE)` (unprivileged, on a read-only root)
   against the Runtime API test server, with the datasheet in npm s3rver on loopback: /years,
   /query?year=1982, a bad year (400), an OPTIONS preflight (204), a gzip answer (base64 of gzip
   bytes), each byte-equal to the build tree's `accidents invoke` of the same event and datasheet;
   then the init error posted for a missing object.

Exit code 77 (skipped, saying why) when podman or chroot cannot be used here: not root, podman,
debootstrap, node or the npm packages missing, or (for --platform of another architecture) no
qemu-user-static registered with binfmt_misc.
"""
import argparse
import base64
import gzip
import json
import os
import subprocess
import sys
import tempfile
import time

import lambda_image
from lambda_harness import S3rver, check, run_function

CA_BUNDLE = "/etc/ssl/certs/ca-certificates.crt"
ELF_MACHINE = {"amd64": 0x3E, "arm64": 0xB7}
EVENTS = ("rest-v1-years.json", "rest-v1-query-1982.json", "rest-v1-query-bad-year.json",
          "rest-v1-options-query.json", "rest-v1-query-1982-gzip.json")


def check_contents(root, entrypoint, arch):
    """Only the entrypoint, shared libraries and the CA bundle; the entrypoint built for `arch`."""
    others = []
    libraries = 0
    for folder, _, files in os.walk(root):
        for name in files:
            path = "/" + os.path.relpath(os.path.join(folder, name), root)
            if path in (entrypoint, CA_BUNDLE):
                continue
            if ".so" in name and path.split("/")[1] in ("lib", "lib64", "usr"):
                libraries += 1
                continue
            others.append(path)
    check(os.path.isfile(root + entrypoint), f"the image has its entrypoint {entrypoint}")
    check(os.path.isfile(root + CA_BUNDLE), f"the image has the CA bundle {CA_BUNDLE}")
    check(not others, f"the image holds only its entrypoint, shared libraries and CA bundle; also: {others}")
    with open(root + entrypoint, "rb") as f:
        header = f.read(20)
    check(header[:4] == b"\x7fELF" and int.from_bytes(header[18:20], "little") == ELF_MACHINE[arch],
          f"{entrypoint} is an ELF executable for {arch}")
    return libraries


def invoke(accidents, event, csv, env):
    answer = subprocess.run([accidents, "invoke", "--event", event, "--data", csv], capture_output=True, text=True,
                            timeout=120, env=dict(os.environ, **env))
    check(answer.returncode == 0, f"invoke {event}: exit {answer.returncode}: {answer.stderr}")
    return answer.stdout.rstrip("\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--accidents", required=True, help="the build tree's binary, for the expected answers")
    parser.add_argument("--source", required=True, help="the repository")
    parser.add_argument("--work", required=True, help="folder for cdk.out and the build log")
    parser.add_argument("--s3rver", required=True, help="folder with node_modules/s3rver")
    parser.add_argument("--image", default="localhost/accidents-lambda:test", help="tag given to the image")
    parser.add_argument("--platform", default=f"linux/{lambda_image.HOST_ARCH}",
                        help="what to build for (default: this machine's; the CDK asset says linux/arm64)")
    args = parser.parse_args()
    arch = args.platform.split("/")[1]
    events = os.path.join(args.source, "deploy", "events")
    reason = lambda_image.unusable_reason(args.source, arch)
    if reason is None and not S3rver("", folder=args.s3rver).available():
        reason = f"npm s3rver missing under {args.s3rver}: run scripts/install-deps"
    if reason:
        print("skip:", reason)
        return 77

    started = time.monotonic()
    try:
        image, _ = lambda_image.build_from_cdk(args.source, args.work, args.platform, args.image,
                                               say=lambda line: print("  ", line, flush=True))
    except lambda_image.BuildError as e:
        check(False, str(e))
    print(f"ok: the image built from the context `cdk synth` staged in {time.monotonic() - started:.1f} s: "
          f"{image.size:,} bytes, ENTRYPOINT {image.entrypoint} CMD {image.cmd}")
    check(image.arch == arch, f"the image is for {arch}, not {image.arch}")
    check(image.entrypoint, "the image has an ENTRYPOINT")
    check(image.working_dir in ("", "/"), f"WorkingDir {image.working_dir} (chroot starts in /)")

    with lambda_image.mounted(image) as root:
        libraries = check_contents(root, image.entrypoint[0], arch)
        print(f"ok: the image holds {image.entrypoint[0]}, {libraries} shared libraries and {CA_BUNDLE}, nothing else")

        with tempfile.TemporaryDirectory() as tmp:
            csv = os.path.join(tmp, "AviationData.csv")
            subprocess.run([args.accidents, "demo-data", "--rows", "3000", "--out", csv], check=True,
                           capture_output=True)
            with open(os.path.join(events, "rest-v1-options-query.json")) as f:
                origin = json.load(f)["headers"]["Origin"]
            env = {"CORS_ALLOWED_ORIGINS": origin}
            loaded = [json.load(open(os.path.join(events, name))) for name in EVENTS]
            expected = [invoke(args.accidents, os.path.join(events, name), csv, env) for name in EVENTS]

            argv = image.argv(root)
            with S3rver(os.path.join(tmp, "s3"), folder=args.s3rver) as s3rver:
                with open(csv, "rb") as f:
                    s3rver.put("AviationData.csv", f.read())
                function_env = dict(image.env, **s3rver.function_env("AviationData.csv"), **env)
                run = run_function(argv, function_env, loaded, timeout=600)
                check(run.waiting, f"it answers every event and asks for the next: exit {run.returncode}: {run.stderr}")
                check([p[0] for p in run.posted] == [f"/runtime/invocation/req-{i}/response" for i in range(len(EVENTS))],
                      f"one response per event: {[p[0] for p in run.posted]}: {run.stderr}")
                answers = dict(zip(EVENTS, (json.loads(p[1]) for p in run.posted)))
                for name, want, (_, got, _) in zip(EVENTS, expected, run.posted):
                    check(got == want, f"{name}: the image's answer equals the build tree's `accidents invoke`:\n"
                                       f"image: {got[:300]}\nbuild tree: {want[:300]}")
                print(f"ok: `{' '.join(argv[:2])} ROOT {' '.join(argv[3:])}` answers {len(EVENTS)} events from s3rver, each "
                      "byte-equal to the build tree's `accidents invoke` of the same event and datasheet")

                years = answers["rest-v1-years.json"]
                year_list = json.loads(years["body"])
                check(years["statusCode"] == 200 and year_list and year_list == sorted(year_list, reverse=True),
                      f"/years: {years['statusCode']} {years['body'][:200]}")
                query = answers["rest-v1-query-1982.json"]
                records = json.loads(query["body"])
                check(query["statusCode"] == 200 and records and all(r["Year"] == 1982 for r in records),
                      f"/query?year=1982: {query['statusCode']} {query['body'][:200]}")
                bad = answers["rest-v1-query-bad-year.json"]
                check(bad["statusCode"] == 400 and "year" in json.loads(bad["body"])["message"],
                      f"bad year: {bad['statusCode']} {bad['body']}")
                preflight = answers["rest-v1-options-query.json"]
                check(preflight["statusCode"] == 204
                      and preflight["headers"].get("Access-Control-Allow-Origin") == origin,
                      f"preflight: {preflight['statusCode']} {preflight['headers']}")
                compressed = answers["rest-v1-query-1982-gzip.json"]
                body = base64.b64decode(compressed["body"]) if compressed["isBase64Encoded"] else b""
                check(compressed["statusCode"] == 200 and compressed["headers"].get("Content-Encoding") == "gzip"
                      and body[:2] == b"\x1f\x8b" and gzip.decompress(body).decode() == query["body"],
                      f"gzip: {compressed['statusCode']} {compressed['headers']} base64 {compressed['isBase64Encoded']}")
                print(f"ok: /years ({len(year_list)} years), /query?year=1982 ({len(records)} records), bad year 400, "
                      f"preflight 204, gzip ({len(body):,} bytes, base64) answered by the image")

                run = run_function(argv, dict(function_env, ASSET_NAME="missing.csv"), loaded[:1], timeout=600)
                check(run.returncode not in (0, None) and not run.waiting, f"missing object: exit {run.returncode}")
                check(len(run.posted) == 1 and run.posted[0][0] == "/runtime/init/error"
                      and run.posted[0][2] == "Accidents.DatasheetUnavailable", f"missing object: {run.posted}")
                message = json.loads(run.posted[0][1])["errorMessage"]
                check(all(part in message for part in ("datasheets", "missing.csv", "404", "NoSuchKey")), message)
                print("ok: the image posts a missing S3 object to /runtime/init/error:", message)
    return 0


if __name__ == "__main__":
    sys.exit(main())
