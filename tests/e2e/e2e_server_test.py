"""End-to-end tests of the `accidents` binary: serve, reload, signals, import, demo-data."""

import argparse
import csv
import gzip
import http.client
import io
import json
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
import zipfile

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


class MetricsTest(unittest.TestCase):
    """`serve --metrics-listen`: Prometheus text on a listener of its own, never on the API port."""

    def setUp(self):
        self.dir = tempfile.mkdtemp()
        self.data = os.path.join(self.dir, 'AviationData.csv')
        shutil.copy(os.path.join(FIXTURES, 'dms_coordinates.csv'), self.data)
        gateway = os.path.join(self.dir, 'gateway.toml')
        with open(gateway, 'w') as f:
            f.write('[plans.basic]\nrate = 1\nburst = 1\n')  # no keys file: every key is refused
        self.server = Server(BINARY, self.data, ('--metrics-listen', '127.0.0.1:0', '--gateway', gateway))
        self.assertTrue(self.server.wait_for_log(r'metrics: http://127\.0\.0\.1:\d+/metrics'), self.server.log_text())
        self.metrics_port = int(re.search(r'metrics: http://127\.0\.0\.1:(\d+)/metrics',
                                          self.server.log_text()).group(1))

    def tearDown(self):
        self.server.stop()
        shutil.rmtree(self.dir)

    def scrape(self):
        conn = http.client.HTTPConnection('127.0.0.1', self.metrics_port, timeout=30)
        conn.request('GET', '/metrics')
        res = conn.getresponse()
        body = res.read().decode()
        conn.close()
        self.assertEqual(res.status, 200)
        self.assertEqual(res.getheader('content-type'), 'text/plain; version=0.0.4; charset=utf-8')
        return body

    def test_requests_rejections_and_loads_are_counted(self):
        self.assertEqual(self.server.get('/healthz')[0], 200)
        self.assertEqual(self.server.get('/api/years')[0], 403)
        self.assertEqual(self.server.get('/metrics')[0], 403, 'the API port does not serve metrics')
        replace_file(self.data, b'')
        self.assertTrue(self.server.wait_for_log('reload failed'), self.server.log_text())
        deadline = time.time() + 10
        while time.time() < deadline:
            text = self.scrape()
            if 'accidents_http_requests_total{route="/api/years",method="GET",status="403"} 1\n' in text:
                break
            time.sleep(0.1)
        for line in ['accidents_http_requests_total{route="/healthz",method="GET",status="200"} 1',
                     'accidents_http_requests_total{route="/api/years",method="GET",status="403"} 1',
                     'accidents_http_requests_total{route="/metrics",method="GET",status="403"} 1',
                     'accidents_gateway_rejections_total{plan="none",reason="forbidden"} 2',
                     'accidents_dataset_rows 7',
                     'accidents_dataset_loads_total{result="ok"} 1',
                     'accidents_dataset_loads_total{result="failed"} 1']:
            self.assertIn(line + '\n', text)
        self.assertIn('accidents_http_request_duration_seconds_count{route="/api/years"} 1\n', text)

    def test_the_listener_serves_only_metrics_and_healthz(self):
        conn = http.client.HTTPConnection('127.0.0.1', self.metrics_port, timeout=30)
        for path, status in [('/healthz', 200), ('/api/years', 404), ('/', 404)]:
            conn.request('GET', path)
            res = conn.getresponse()
            res.read()
            self.assertEqual(res.status, status, path)
        conn.close()


class AnalysisTest(unittest.TestCase):
    """The analysis API on a generated datasheet: filters, paging, formats, stats, schema."""

    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp()
        cls.data = os.path.join(cls.dir, 'demo.csv')
        out = run('demo-data', '--rows', '20000', '--seed', '3', '--out', cls.data)
        assert out.returncode == 0, out.stderr
        cls.server = Server(BINARY, cls.data, extra=['--no-access-log'])

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        shutil.rmtree(cls.dir)

    def get(self, path, **kw):
        return self.server.get(path, **kw)

    def test_filters_combine_and_count(self):
        status, hdrs, body = self.get('/api/query?Make=cessna&Total.Fatal.Injuries__gt=0&from=2000-01-01'
                                      '&fields=Make,Make:canonical,Total.Fatal.Injuries,Year')
        self.assertEqual(status, 200, body)
        rows = json.loads(body)
        self.assertGreater(len(rows), 0)
        self.assertEqual(int(hdrs['x-total-count']), len(rows))
        for r in rows:
            self.assertEqual(r['Make:canonical'], 'Cessna')
            self.assertTrue(r['Make'].upper().startswith('CESSNA'), r['Make'])
            self.assertGreater(r['Total.Fatal.Injuries'], 0)
            self.assertGreaterEqual(r['Year'], 2000)

    def test_paging_with_cursor_follows_link(self):
        seen = []
        path = '/api/query?Weather.Condition=IMC&sort=-Event.Date&limit=50&fields=Accident.Number,Event.Date'
        status, hdrs, body = self.get(path)
        total = int(hdrs['x-total-count'])
        while True:
            self.assertEqual(status, 200, body)
            page = json.loads(body)
            self.assertLessEqual(len(page), 50)
            seen.extend(page)
            if 'link' not in hdrs:
                break
            m = re.match(r'<([^>]+)>; rel="next"', hdrs['link'])
            self.assertIsNotNone(m, hdrs['link'])
            status, hdrs, body = self.get(m.group(1))
        self.assertEqual(len(seen), total)
        self.assertEqual(len({r['Accident.Number'] for r in seen}), total)
        dates = [r['Event.Date'] for r in seen]
        self.assertEqual(dates, sorted(dates, reverse=True))
        self.assertEqual(set(seen[0]), {'Accident.Number', 'Event.Date'})

    def test_a_cursor_of_another_question_is_refused(self):
        _, hdrs, _ = self.get('/api/query?Make=Cessna&limit=10')
        cursor = re.search(r'cursor=([^&>]+)', hdrs['link']).group(1)
        status, _, body = self.get(f'/api/query?Make=Piper&limit=10&cursor={cursor}')
        self.assertEqual(status, 400)
        self.assertIn("'cursor'", json.loads(body)['message'])

    def test_formats(self):
        _, hdrs, body = self.get('/api/query?year=2010&format=csv')
        self.assertTrue(hdrs['content-type'].startswith('text/csv'))
        rows = list(csv.reader(io.StringIO(body.decode())))
        status, records = self.server.get_json('/api/query?year=2010')
        self.assertEqual(rows[0][-1], 'Year')
        self.assertEqual(len(rows) - 1, len(records))
        self.assertEqual(rows[0][:-1], list(records[0])[:-1])
        _, hdrs, body = self.get('/api/query?year=2010', headers={'Accept': 'text/csv'})
        self.assertTrue(hdrs['content-type'].startswith('text/csv'))
        _, hdrs, body = self.get('/api/query?year=2010&format=ndjson')
        lines = body.decode().splitlines()
        self.assertEqual(len(lines), len(records))
        self.assertEqual(json.loads(lines[0]), records[0])
        _, hdrs, body = self.get('/api/query?year=2010&format=geojson')
        self.assertEqual(hdrs['content-type'], 'application/geo+json')
        fc = json.loads(body)
        self.assertEqual(fc['type'], 'FeatureCollection')
        placed = [r for r in records if r['Latitude'] is not None and r['Longitude'] is not None]
        self.assertEqual(len(fc['features']), len(placed))
        self.assertEqual(fc['without_coordinates'], len(records) - len(placed))
        self.assertEqual(fc['features'][0]['geometry']['coordinates'], [placed[0]['Longitude'], placed[0]['Latitude']])

    def test_stats(self):
        status, groups = self.server.get_json('/api/stats?group_by=year&metrics=count,fatal,events')
        self.assertEqual(status, 200)
        _, schema = self.server.get_json('/api/schema')
        self.assertEqual(sum(g['count'] for g in groups), schema['rows'])
        self.assertEqual([g['year'] for g in groups], sorted(g['year'] for g in groups))
        status, top = self.server.get_json('/api/stats?group_by=Broad.phase.of.flight&sort=-count&top=3')
        self.assertEqual(len(top), 3)
        self.assertGreaterEqual(top[0]['count'], top[1]['count'])
        _, hdrs, body = self.get('/api/stats?group_by=year,Weather.Condition&format=csv')
        self.assertEqual(body.decode().splitlines()[0], 'year,Weather.Condition,count')
        # without group_by: the whole selection, here every row, with the rates
        status, whole = self.server.get_json('/api/stats?metrics=count,fatal_events,fatal_share,share')
        self.assertEqual(status, 200)
        self.assertEqual(len(whole), 1)
        self.assertEqual(whole[0]['count'], schema['rows'])
        self.assertEqual(whole[0]['share'], 1)
        self.assertLessEqual(whole[0]['fatal_share_low'], whole[0]['fatal_share'])
        self.assertLessEqual(whole[0]['fatal_share'], whole[0]['fatal_share_high'])

    def test_canonical_values_fold_the_demo_spellings(self):
        # the demo data spells makes CESSNA, Cessna and CESSNA AIRCRAFT CO, phases LANDING and Landing
        _, makes = self.server.get_json('/api/stats?group_by=Make:raw&Make=cessna')
        spellings = {g['Make:raw'] for g in makes}
        self.assertTrue({'Cessna', 'CESSNA'} <= spellings, spellings)
        _, one = self.server.get_json('/api/stats?group_by=Make&Make=cessna')
        self.assertEqual(one, [{'Make': 'Cessna', 'count': sum(g['count'] for g in makes)}])
        _, phases = self.server.get_json('/api/stats?group_by=Broad.phase.of.flight')
        self.assertIn('Landing', {g['Broad.phase.of.flight'] for g in phases})
        self.assertFalse(any(g['Broad.phase.of.flight'] == 'LANDING' for g in phases))
        _, levels = self.server.get_json('/api/stats?group_by=Injury.Severity')
        self.assertLessEqual({g['Injury.Severity'] for g in levels},
                             {'Fatal', 'Serious', 'Minor', 'Non-Fatal', 'Incident', 'Unavailable', None})

    def test_schema(self):
        status, schema = self.server.get_json('/api/schema')
        self.assertEqual(status, 200)
        by_name = {c['name']: c for c in schema['columns']}
        self.assertEqual(by_name['Event.Date']['type'], 'date')
        self.assertEqual(by_name['Latitude']['type'], 'latitude')
        self.assertEqual(by_name['Make']['type'], 'category')
        self.assertLessEqual(len(by_name['Make']['top']), 10)
        self.assertEqual(schema['load_report']['rows'], schema['rows'])

    def test_errors_name_what_is_wrong(self):
        for path, words in [
            ('/api/query?Maek=Cessna', ["unknown parameter 'Maek'", 'Make', 'Event.Date']),
            ('/api/query?Make__gt=C', ["operator 'gt'", 'category', 'contains']),
            ('/api/query?Make__between=C', ["unknown operator 'between'"]),
            ('/api/query?Total.Fatal.Injuries__gte=many', ["'many' is not a number"]),
            ('/api/query?Event.Date__lt=yesterday', ["'yesterday' is not a date", 'YYYY-MM-DD']),
            ('/api/query?bbox=1,2,3', ["'bbox' must be minLon,minLat,maxLon,maxLat"]),
            ('/api/query?year=2010&limit=0', ["'limit' must be a whole number"]),
            ('/api/query?year=2010&format=xml', ["'format' must be json, ndjson, csv or geojson"]),
            ('/api/query?year=2010&fields=Nope', ["unknown column 'Nope'"]),
            ('/api/stats?group_by=year&metrics=count&sort=-fatal', ["'fatal' is neither a value of the metrics"]),
            ('/api/stats?group_by=Total.Fatal.Injuries:raw', ['only category columns have raw']),
            ('/api/query?year=2010&fields=Location:canonical', ['Location has no canonical values']),
            ('/api/stats?group_by=year&metrics=deaths', ["unknown metric 'deaths'"]),
            ('/api/stats?group_by=Make:year', ['only a date column']),
        ]:
            status, _, body = self.get(path)
            self.assertEqual(status, 400, path)
            message = json.loads(body)['message']
            for w in words:
                self.assertIn(w, message, path)

    def test_openapi(self):
        status, doc = self.server.get_json('/api/openapi.json')
        self.assertEqual(status, 200)
        self.assertTrue(doc['openapi'].startswith('3.1'))
        self.assertEqual(doc['servers'][0]['url'], '/api')


class PackedDatasheetTest(unittest.TestCase):
    """The datasheet as users download it: Kaggle's zip (beside USState_Codes.csv) and a .csv.gz,
    served and imported as the plain file is, and reloaded when the archive changes."""

    def setUp(self):
        self.dir = tempfile.mkdtemp()
        with open(os.path.join(FIXTURES, 'dms_coordinates.csv'), 'rb') as f:
            self.csv = f.read()
        self.zip = os.path.join(self.dir, 'archive.zip')
        self.write_zip(self.csv)
        self.gz = os.path.join(self.dir, 'AviationData.csv.gz')
        with gzip.open(self.gz, 'wb') as f:
            f.write(self.csv)
        self.server = None

    def tearDown(self):
        if self.server:
            self.server.stop()
        shutil.rmtree(self.dir)

    def write_zip(self, content, path=None):
        tmp = (path or self.zip) + '.tmp'
        with zipfile.ZipFile(tmp, 'w', zipfile.ZIP_DEFLATED) as z:
            z.writestr('USState_Codes.csv', 'US_State,Abbreviation\nAlabama,AL\n')
            z.writestr('AviationData.csv', content)
        os.replace(tmp, path or self.zip)

    def test_serves_the_kaggle_zip_and_reloads_when_it_changes(self):
        self.server = Server(BINARY, self.zip)
        self.assertEqual(self.server.get_json('/api/years'), (200, [2008]))
        self.assertEqual(len(self.server.get_json('/api/query?year=2008')[1]), 6)
        self.assertTrue(self.server.wait_for_log(re.escape(self.zip + ':AviationData.csv')), self.server.log_text())
        with open(os.path.join(FIXTURES, 'messy.csv'), 'rb') as f:
            self.write_zip(f.read())
        deadline = time.time() + 20
        while time.time() < deadline and self.server.get_json('/api/years')[1] != [2011]:
            time.sleep(0.2)
        self.assertEqual(self.server.get_json('/api/years'), (200, [2011]))

    def test_imports_gzip_and_a_named_member_as_the_plain_file(self):
        plain = run('import', '--data', os.path.join(FIXTURES, 'dms_coordinates.csv'))
        self.assertEqual(plain.returncode, 0, plain.stderr)
        body = lambda text: text.split('\n', 1)[1]  # the report less its first line (source and time)
        for location in (self.gz, self.zip + ':AviationData.csv'):
            out = run('import', '--data', location)
            self.assertEqual(out.returncode, 0, out.stderr)
            self.assertIn(location, out.stdout)
            self.assertIn('7 rows loaded', out.stdout)
            self.assertEqual(body(out.stdout), body(plain.stdout), location)

    def test_a_missing_member_or_archive_is_a_clear_error(self):
        out = run('import', '--data', self.zip + ':Other.csv')
        self.assertNotEqual(out.returncode, 0)
        self.assertIn('has no member Other.csv: it holds USState_Codes.csv, AviationData.csv', out.stdout + out.stderr)
        out = run('serve', '--data', os.path.join(self.dir, 'absent.zip:AviationData.csv'))
        self.assertNotEqual(out.returncode, 0)
        self.assertIn('absent.zip', out.stdout + out.stderr)


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

    def test_a_bad_metrics_address_is_a_clear_error(self):
        out = run('serve', '--data', os.path.join(FIXTURES, 'messy.csv'), '--metrics-listen', '9100')
        self.assertNotEqual(out.returncode, 0)
        self.assertIn('--metrics-listen must be ADDR:PORT', out.stdout + out.stderr)

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
