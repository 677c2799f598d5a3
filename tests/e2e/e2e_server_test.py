"""End-to-end tests of the `accidents` binary: serve, reload, signals, import, demo-data."""

import argparse
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from server_process import Server  # noqa: E402

FIXTURES = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), 'fixtures')
BINARY = None


def run(*args, **kw):
    return subprocess.run([BINARY, *args], capture_output=True, text=True, timeout=300, **kw)


def replace_file(path, content: bytes):
    """Writes a new version of the file, as an editor or a copy would, with a new modification time."""
    tmp = path + '.tmp'
    with open(tmp, 'wb') as f:
        f.write(content)
    os.replace(tmp, path)


class ServeTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp()
        self.data = os.path.join(self.dir, 'AviationData.csv')
        shutil.copy(os.path.join(FIXTURES, 'dms_coordinates.csv'), self.data)
        self.server = Server(BINARY, self.data)

    def tearDown(self):
        self.server.stop()
        shutil.rmtree(self.dir)

    def test_years_and_query(self):
        self.assertEqual(self.server.get_json('/api/years'), (200, [2008]))
        status, rows = self.server.get_json('/api/query?year=2008')
        self.assertEqual(status, 200)
        self.assertEqual(len(rows), 6)  # one row has an impossible date
        self.assertEqual(list(rows[0])[:4], ['Event.Id', 'Accident.Number', 'EVENT.DATE', 'Location'])
        self.assertEqual(rows[0]['EVENT.DATE'], 1212278400000)
        self.assertAlmostEqual(rows[0]['latitude'], 34.009166666666666)
        self.assertAlmostEqual(rows[0]['LONGITUDE'], -110.62722222222223)
        self.assertIsNone(rows[3]['latitude'])
        self.assertEqual(rows[0]['Year'], 2008)
        self.assertEqual(self.server.get_json('/api/query?year=1999'), (200, []))

    def test_errors_are_json_with_a_message(self):
        for path, method, status, words in [
            ('/api/query', 'GET', 400, "missing parameter 'year'"),
            ('/api/query?year=abc', 'GET', 400, "parameter 'year' must be a year"),
            ('/api/query?year=2008&color=red', 'GET', 400, "unknown parameter 'color'"),
            ('/api/nothing', 'GET', 404, 'no route for /api/nothing'),
            ('/api/years', 'DELETE', 405, 'method DELETE is not allowed'),
        ]:
            got, hdrs, body = self.server.get(path, method=method)
            self.assertEqual(got, status, path)
            self.assertEqual(hdrs['content-type'], 'application/json')
            self.assertIn(words, body.decode())

    def test_gzip_etag_and_304(self):
        status, hdrs, body = self.server.get('/api/query?year=2008', headers={'Accept-Encoding': 'gzip'})
        self.assertEqual(hdrs['content-encoding'], 'gzip')
        self.assertEqual(hdrs['cache-control'], 'public, max-age=60')
        etag = hdrs['etag']
        status, hdrs, body = self.server.get('/api/query?year=2008',
                                             headers={'Accept-Encoding': 'gzip', 'If-None-Match': etag})
        self.assertEqual(status, 304)
        self.assertEqual(body, b'')

    def test_keep_alive_and_access_log(self):
        conn = self.server.connection()
        for _ in range(3):
            status, _, _ = self.server.get('/api/years', conn=conn)
            self.assertEqual(status, 200)
        conn.close()
        self.assertTrue(self.server.wait_for_log(r'"GET /api/years" 200 6 \d+us'), self.server.log_text())

    def test_reload_when_the_file_changes(self):
        with open(os.path.join(FIXTURES, 'truncated_last_record.csv'), 'rb') as f:
            replace_file(self.data, f.read())
        deadline = time.time() + 20
        while time.time() < deadline and self.server.get_json('/api/years')[1] != [1962, 1948]:
            time.sleep(0.2)
        self.assertEqual(self.server.get_json('/api/years'), (200, [1962, 1948]))
        self.assertTrue(self.server.wait_for_log('ends inside the record that starts on line 4'))

    def test_failed_reload_keeps_serving_the_old_data(self):
        replace_file(self.data, b'')
        self.assertTrue(self.server.wait_for_log('reload failed, still serving the previous datasheet'),
                        self.server.log_text())
        self.assertEqual(self.server.get_json('/api/years'), (200, [2008]))

    def test_sighup_reloads(self):
        with open(os.path.join(FIXTURES, 'messy.csv'), 'rb') as f:
            content = f.read()
        with open(self.data, 'wb') as f:  # same size and time would not be noticed by polling alone
            f.write(content)
        self.server.send_signal(signal.SIGHUP)
        self.assertTrue(self.server.wait_for_log('reload requested'), self.server.log_text())
        deadline = time.time() + 10
        while time.time() < deadline and self.server.get_json('/api/years')[1] != [2011]:
            time.sleep(0.1)
        self.assertEqual(self.server.get_json('/api/years'), (200, [2011]))

    def test_sigterm_stops_gracefully(self):
        conn = self.server.connection()
        self.assertEqual(self.server.get('/api/years', conn=conn)[0], 200)  # an idle keep-alive connection
        self.assertEqual(self.server.stop(signal.SIGTERM), 0)
        conn.close()
        self.assertIn('stopped', self.server.log_text())


class CommandsTest(unittest.TestCase):
    def test_import_prints_the_load_report(self):
        out = run('import', '--data', os.path.join(FIXTURES, 'dms_coordinates.csv'))
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertIn('7 rows loaded', out.stdout)
        self.assertIn('column latitude (latitude): 3 cells could not be read as latitude', out.stdout)
        self.assertIn('line 5: "950000N"', out.stdout)

    def test_missing_file_is_a_clear_error(self):
        out = run('serve', '--data', '/nonexistent.csv')
        self.assertNotEqual(out.returncode, 0)
        self.assertIn('/nonexistent.csv', out.stdout + out.stderr)

    def test_demo_data_is_reproducible(self):
        with tempfile.TemporaryDirectory() as d:
            a, b, c = (os.path.join(d, n) for n in ('a.csv', 'b.csv', 'c.csv'))
            for path, seed in ((a, '7'), (b, '7'), (c, '8')):
                out = run('demo-data', '--rows', '3000', '--seed', seed, '--out', path)
                self.assertEqual(out.returncode, 0, out.stderr)
            with open(a, 'rb') as fa, open(b, 'rb') as fb, open(c, 'rb') as fc:
                ta, tb, tc = fa.read(), fb.read(), fc.read()
            self.assertEqual(ta, tb)
            self.assertNotEqual(ta, tc)
            report = run('import', '--data', a).stdout
            self.assertIn('3000 rows loaded', report)

    def test_port_in_use_is_a_clear_error(self):
        with socket.socket() as s:
            s.bind(('127.0.0.1', 0))
            s.listen()
            port = s.getsockname()[1]
            out = run('serve', '--data', os.path.join(FIXTURES, 'messy.csv'), '--port', str(port))
            self.assertNotEqual(out.returncode, 0)
            self.assertIn('in use', (out.stdout + out.stderr).lower())


if __name__ == '__main__':
    ap = argparse.ArgumentParser()
    ap.add_argument('--accidents', required=True)
    ap.add_argument('--shared-data')
    args, rest = ap.parse_known_args()
    BINARY = os.path.abspath(args.accidents)
    unittest.main(argv=[sys.argv[0], *rest], verbosity=2)
