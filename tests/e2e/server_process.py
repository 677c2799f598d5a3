"""Starts `accidents serve` on a free loopback port and talks to it (standard library only)."""

import codecs
import gzip
import http.client
import json
import os
import re
import signal
import subprocess
import threading
import time

SKIP = 77  # ctest's SKIP_RETURN_CODE for these scripts


def _latin1_fallback(error):
    """Bytes undefined in Windows-1252 are read as latin-1, as the server does."""
    chunk = error.object[error.start:error.end]
    return ''.join(chr(b) for b in chunk), error.end


codecs.register_error('latin1_fallback', _latin1_fallback)


def decode_datasheet(raw: bytes) -> str:
    """The datasheet's text as the server reads it: UTF-8 when valid, else Windows-1252."""
    try:
        return raw.decode('utf-8')
    except UnicodeDecodeError:
        return raw.decode('cp1252', errors='latin1_fallback')


def pandas_test_setup(file, add_arguments=None):
    """Arguments and datasheet of a test against pandas on a file of the shared data folder:
    (args, path of the file), or None, having said why, when the file or pandas is absent (the test
    then exits SKIP). `add_arguments(parser)` adds the test's own options."""
    import argparse
    ap = argparse.ArgumentParser()
    ap.add_argument('--accidents', required=True)
    ap.add_argument('--shared-data', required=True)
    if add_arguments:
        add_arguments(ap)
    args = ap.parse_args()
    path = os.path.join(args.shared_data, file)
    if not os.path.exists(path):
        print(f'skipped: {path} is absent')
        return None
    try:
        import pandas  # noqa: F401
    except ImportError:
        print('skipped: pandas is not installed (Debian python3-pandas; scripts/install-deps installs it)')
        return None
    return args, path


class Server:
    """A running `accidents serve`; its log lines are collected in `self.log`."""

    def __init__(self, binary, data, extra=()):
        self.log = []
        self._lock = threading.Lock()
        self.proc = subprocess.Popen(
            [binary, 'serve', '--data', data, '--port', '0', *extra],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, errors='replace')
        self.port = None
        threading.Thread(target=self._pump, daemon=True).start()
        deadline = time.time() + 120
        while self.port is None:
            if self.proc.poll() is not None:
                raise RuntimeError('server exited early:\n' + '\n'.join(self.log))
            if time.time() > deadline:
                self.stop()
                raise RuntimeError('server did not start:\n' + '\n'.join(self.log))
            time.sleep(0.05)

    def _pump(self):
        for line in self.proc.stdout:
            with self._lock:
                self.log.append(line.rstrip('\n'))
            m = re.search(r'serving on http://[^:]+:(\d+)', line)
            if m:
                self.port = int(m.group(1))

    def log_text(self):
        with self._lock:
            return '\n'.join(self.log)

    def wait_for_log(self, pattern, timeout=30):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if re.search(pattern, self.log_text()):
                return True
            time.sleep(0.05)
        return False

    def connection(self):
        return http.client.HTTPConnection('127.0.0.1', self.port, timeout=60)

    def get(self, path, headers=None, method='GET', conn=None):
        """Returns (status, headers dict with lower-case names, body bytes, decoded if gzip)."""
        own = conn is None
        conn = conn or self.connection()
        conn.request(method, path, headers=headers or {})
        resp = conn.getresponse()
        body = resp.read()
        hdrs = {k.lower(): v for k, v in resp.getheaders()}
        if hdrs.get('content-encoding') == 'gzip':
            body = gzip.decompress(body)
        if own:
            conn.close()
        return resp.status, hdrs, body

    def get_json(self, path, **kw):
        status, hdrs, body = self.get(path, **kw)
        return status, json.loads(body)

    def send_signal(self, sig):
        self.proc.send_signal(sig)

    def stop(self, sig=signal.SIGTERM, timeout=30):
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc.stdout.close()
        return self.proc.returncode
