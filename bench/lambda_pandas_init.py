"""The original's Lambda init, the anchor of bench/lambda_cold_start.py, for Debian's /usr/bin/python3
with python3-pandas: import pandas, fetch s3://$ASSET_BUCKET/$ASSET_NAME from $AWS_ENDPOINT_URL_S3
(the same s3rver the image reads, with urllib: s3rver checks no signature, and the original's boto3
would only add its own import), parse it as the original did (bench/pandas_anchor.py's `load`:
read_csv latin-1 + to_datetime), then ask the Runtime API at $AWS_LAMBDA_RUNTIME_API for a first
event, as a function whose init is over does.
"""
import io
import os
import sys
import urllib.request

import pandas as pd

from pandas_anchor import load

url = f"{os.environ['AWS_ENDPOINT_URL_S3']}/{os.environ['ASSET_BUCKET']}/{os.environ['ASSET_NAME']}"
request = urllib.request.Request(url, headers={"x-amz-content-sha256": "UNSIGNED-PAYLOAD"})
with urllib.request.urlopen(request, timeout=60) as response:
    df = load(io.BytesIO(response.read()))
print(f"pandas {pd.__version__}, python {sys.version.split()[0]}: loaded {len(df)} rows", file=sys.stderr, flush=True)
urllib.request.urlopen(f"http://{os.environ['AWS_LAMBDA_RUNTIME_API']}/2018-06-01/runtime/invocation/next").read()
