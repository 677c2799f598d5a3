#!/usr/bin/env python3
"""End-to-end test of the `accidents` binary as a Lambda function, standard library only.

`accidents invoke` on every sample event in deploy/events; `accidents lambda` against a Runtime API
test server (lambda_harness.RuntimeApi) serving events from a file datasheet and from S3 (npm s3rver
on loopback, when installed), and reporting init errors for a missing file and a missing object.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

from lambda_harness import S3rver, check, run_function

YEARS = {"httpMethod": "GET", "path": "/years", "requestContext": {"identity": {"sourceIp": "192.0.2.1"}}}
QUERY = {"version": "2.0", "rawPath": "/query", "rawQueryString": "year=1982",
         "requestContext": {"http": {"method": "GET", "sourceIp": "192.0.2.2"}}, "headers": {}}


def run_lambda(accidents, events, env, args=()):
    done = run_function([accidents, "lambda", "--max-invocations", str(len(events)), *args], dict(os.environ, **env),
                        events)
    return done, done.posted


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--accidents", required=True)
    parser.add_argument("--events", required=True)
    parser.add_argument("--s3rver", required=True, help="folder with node_modules/s3rver")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        csv = os.path.join(tmp, "AviationData.csv")
        subprocess.run([args.accidents, "demo-data", "--rows", "3000", "--out", csv], check=True, capture_output=True)

        expected = {"rest-v1-years.json": 200, "rest-v1-query-1982.json": 200, "rest-v1-query-1982-gzip.json": 200,
                    "rest-v1-query-bad-year.json": 400, "rest-v1-unknown-route.json": 404,
                    "rest-v1-options-query.json": 204, "http-v2-query-2001.json": 200}
        check(sorted(expected) == sorted(f for f in os.listdir(args.events) if f.endswith(".json")),
              "every sample event has an expectation")
        for name, status in expected.items():
            done = subprocess.run([args.accidents, "invoke", "--event", os.path.join(args.events, name), "--data", csv],
                                  capture_output=True, text=True, timeout=60)
            check(done.returncode == 0, f"invoke {name}: exit {done.returncode}: {done.stderr}")
            answer = json.loads(done.stdout)
            check(answer["statusCode"] == status, f"invoke {name}: status {answer['statusCode']}, expected {status}")
            check(set(answer) == {"statusCode", "headers", "multiValueHeaders", "body", "isBase64Encoded"},
                  f"invoke {name}: envelope {sorted(answer)}")
            check(answer["isBase64Encoded"] == ("gzip" in name or "http-v2" in name), f"invoke {name}: base64 flag")
        print("ok: invoke answers every sample event")

        # The gateway in front of invoke: the sample event's key is not in the keys file.
        keys = os.path.join(tmp, "keys.toml")
        created = subprocess.run([args.accidents, "keys", "create", "--name", "invoke", "--plan", "small",
                                  "--keys", keys], capture_output=True, text=True, check=True)
        key = created.stdout.strip().splitlines()[-1]
        gateway = os.path.join(tmp, "gateway.toml")
        with open(gateway, "w") as f:
            f.write('keys_file = "keys.toml"\n[plans.small]\nrate = 1\nburst = 5\n')
        with open(os.path.join(args.events, "rest-v1-years.json")) as f:
            event = json.load(f)

        def invoke_with(api_key):
            event["headers"]["x-api-key"] = api_key
            event["multiValueHeaders"]["x-api-key"] = [api_key]
            path = os.path.join(tmp, "event.json")
            with open(path, "w") as f:
                json.dump(event, f)
            done = subprocess.run([args.accidents, "invoke", "--event", path, "--data", csv, "--gateway", gateway],
                                  capture_output=True, text=True, timeout=60)
            check(done.returncode == 0, f"invoke --gateway: exit {done.returncode}: {done.stderr}")
            check(key not in done.stderr, "invoke --gateway: the key is not logged")
            return json.loads(done.stdout)

        refused = invoke_with("example-key-not-real")
        check(refused["statusCode"] == 403 and json.loads(refused["body"]) == {"message": "Forbidden"},
              f"invoke --gateway with an unknown key: {refused['statusCode']} {refused['body']}")
        accepted = invoke_with(key)
        check(accepted["statusCode"] == 200 and accepted["headers"].get("RateLimit-Limit") == "5",
              f"invoke --gateway with the key: {accepted['statusCode']} {accepted['headers']}")
        print("ok: invoke --gateway requires a key of the keys file and applies its plan")

        done, posted = run_lambda(args.accidents, [YEARS, QUERY], {}, ["--data", csv])
        check(done.returncode == 0, f"lambda from a file: exit {done.returncode}: {done.stderr}{done.stdout}")
        check([p[0] for p in posted] == ["/runtime/invocation/req-0/response", "/runtime/invocation/req-1/response"],
              f"lambda from a file: posted {posted}")
        check(json.loads(posted[1][1])["statusCode"] == 200, "lambda from a file: /query answer")
        print("ok: lambda serves events from a file datasheet")

        done, posted = run_lambda(args.accidents, [YEARS], {"ACCIDENTS_DATA": "/nonexistent/AviationData.csv"})
        check(done.returncode != 0, "lambda with a missing file exits non-zero")
        check(len(posted) == 1 and posted[0][0] == "/runtime/init/error", f"missing file: posted {posted}")
        check("/nonexistent/AviationData.csv" in json.loads(posted[0][1])["errorMessage"], "missing file named")
        print("ok: a missing datasheet file is posted to /runtime/init/error")

        s3rver = S3rver(os.path.join(tmp, "s3"), folder=args.s3rver)
        if not s3rver.available():
            print(f"skip: {s3rver.script} missing (scripts/install-deps installs it); S3 part not run")
            return 77
        with s3rver:
            with open(csv, "rb") as f:
                s3rver.put("AviationData.csv", f.read())
            s3_env = s3rver.function_env("AviationData.csv")
            done, posted = run_lambda(args.accidents, [YEARS], s3_env)
            check(done.returncode == 0, f"lambda from S3: exit {done.returncode}: {done.stderr}{done.stdout}")
            check(len(posted) == 1 and json.loads(posted[0][1])["statusCode"] == 200, f"lambda from S3: {posted}")
            print("ok: lambda loads s3://$ASSET_BUCKET/$ASSET_NAME and serves")

            done, posted = run_lambda(args.accidents, [YEARS], dict(s3_env, ASSET_NAME="missing.csv"))
            check(done.returncode != 0, "lambda with a missing object exits non-zero")
            check(len(posted) == 1 and posted[0][0] == "/runtime/init/error", f"missing object: {posted}")
            message = json.loads(posted[0][1])["errorMessage"]
            check(all(part in message for part in ("datasheets", "missing.csv", "404", "NoSuchKey")), message)
            check(posted[0][2] == "Accidents.DatasheetUnavailable", f"error type {posted[0][2]}")
            print("ok: a missing S3 object is posted to /runtime/init/error:", message)
    return 0


if __name__ == "__main__":
    sys.exit(main())
