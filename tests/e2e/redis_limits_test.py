"""End-to-end: two `accidents serve --limits redis:// --limits-overshoot 1` sharing one bucket and
one quota per key in a redis-server, within the documented bound (the limit + 1 request per
instance), and deciding alone (local limits) when it is gone. Skipped (77) without redis-server."""

import argparse
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from server_process import SKIP, Server  # noqa: E402

REDIS_SERVER = '/usr/bin/redis-server'
BINARY = None
OVERSHOOT = 1  # requests per key each server may admit before Redis has counted them (no share of the plan)

GATEWAY_CONFIG = '''\
keys_file = "keys.toml"

[plans.quota]          # a large bucket and a small daily quota
rate = 1000
burst = 1000
quota = { limit = 10, period = "DAY" }

[plans.burst]          # a bucket of 4 that refills once in 1000 s
rate = 0.001
burst = 4

[plans.roomy]          # never refuses here
rate = 1000
burst = 1000
'''


def run(*args):
    return subprocess.run([BINARY, *args], capture_output=True, text=True, timeout=300)


def free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


class RedisServer:
    """A redis-server on 127.0.0.1 without persistence, answering PING."""

    def __init__(self):
        self.port = free_port()
        self.proc = subprocess.Popen(
            [REDIS_SERVER, '--port', str(self.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no',
             '--loglevel', 'warning'], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.time() + 10
        while not self.ping():
            if self.proc.poll() is not None or time.time() > deadline:
                self.kill()
                raise RuntimeError('redis-server did not start')
            time.sleep(0.02)

    def url(self):
        return 'redis://127.0.0.1:%d' % self.port

    def ping(self):
        try:
            with socket.create_connection(('127.0.0.1', self.port), timeout=1) as s:
                s.sendall(b'PING\r\n')
                return s.recv(64).startswith(b'+PONG')
        except OSError:
            return False

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()


class RedisLimitsTest(unittest.TestCase):
    """The tests run in order (their names are numbered): the last one stops Redis."""

    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp()
        cls.data = os.path.join(cls.dir, 'AviationData.csv')
        out = run('demo-data', '--rows', '2000', '--seed', '1', '--out', cls.data)
        assert out.returncode == 0, out.stderr
        cls.config = os.path.join(cls.dir, 'gateway.toml')
        with open(cls.config, 'w') as f:
            f.write(GATEWAY_CONFIG)
        keys = os.path.join(cls.dir, 'keys.toml')
        cls.keys = {}
        for plan in ('quota', 'burst', 'roomy'):
            out = run('keys', 'create', '--name', plan + '-user', '--plan', plan, '--keys', keys)
            assert out.returncode == 0, out.stderr
            cls.keys[plan] = out.stdout.strip()
        cls.redis = RedisServer()
        cls.servers = []
        try:
            for _ in range(2):
                cls.servers.append(Server(BINARY, cls.data, ['--gateway', cls.config, '--limits', cls.redis.url(),
                                                             '--limits-overshoot', str(OVERSHOOT), '--limits-overshoot-share', '0',
                                                             '--no-access-log']))
        except Exception:
            cls.tearDownClass()
            raise

    @classmethod
    def tearDownClass(cls):
        for server in cls.servers:
            server.stop()
        cls.redis.kill()
        shutil.rmtree(cls.dir)

    def get(self, i, plan):
        return self.servers[i % 2].get('/api/years', headers={'x-api-key': self.keys[plan]})

    def test_0_each_server_says_where_it_counts(self):
        for server in self.servers:
            self.assertIn('limits: shared in redis %s/0' % self.redis.url(), server.log_text())

    def drive(self, plan, refusal):
        """Requests alternating between the servers until each has answered `refusal` (a 429) twice
        in a row: the 200s, and the last answer of each server."""
        accepted = 0
        refused_in_a_row = [0, 0]
        last = [None, None]
        for i in range(200):
            if min(refused_in_a_row) >= 2:
                break
            status, hdrs, body = self.get(i, plan)
            last[i % 2] = (status, hdrs, body)
            if status == 200:
                accepted += 1
                refused_in_a_row[i % 2] = 0
            else:
                self.assertEqual(status, 429, body)
                self.assertIn('retry-after', hdrs)
                refused_in_a_row[i % 2] = refused_in_a_row[i % 2] + 1 if body == refusal else 0
        self.assertGreaterEqual(min(refused_in_a_row), 2, 'the servers went on accepting')
        return accepted, last

    def test_1_one_quota_across_both_servers(self):
        accepted, last = self.drive('quota', b'{"message":"Limit Exceeded"}')
        self.assertGreaterEqual(accepted, 10)
        self.assertLessEqual(accepted, 10 + 2 * OVERSHOOT)
        for status, hdrs, body in last:
            self.assertEqual(hdrs['x-quota-limit'], '10')
            self.assertEqual(hdrs['x-quota-remaining'], '0')

    def test_2_one_bucket_across_both_servers(self):
        accepted, last = self.drive('burst', b'{"message":"Too Many Requests"}')
        self.assertGreaterEqual(accepted, 4)
        self.assertLessEqual(accepted, 4 + 2 * OVERSHOOT)
        for status, hdrs, body in last:
            self.assertEqual(hdrs['ratelimit-remaining'], '0')

    def test_3_without_redis_each_server_limits_alone(self):
        self.redis.kill()
        for server in self.servers:
            # A request admitted on the server's copy is sent to Redis, which is found gone.
            status, _, body = server.get('/api/years', headers={'x-api-key': self.keys['roomy']})
            self.assertEqual(status, 200, body)
            self.assertTrue(server.wait_for_log(r'redis redis://127\.0\.0\.1:\d+/0 unreachable'), server.log_text())
            # This server's own counters start afresh: the spent quota is allowed again here.
            status, hdrs, body = server.get('/api/years', headers={'x-api-key': self.keys['quota']})
            self.assertEqual(status, 200, body)
            self.assertEqual(hdrs['x-quota-remaining'], '9')
            self.assertEqual(server.get('/healthz')[0], 200)
        for server in self.servers:
            for key in self.keys.values():
                self.assertNotIn(key, server.log_text())


class LimitsOptionTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp()
        self.data = os.path.join(self.dir, 'AviationData.csv')
        self.assertEqual(run('demo-data', '--rows', '10', '--seed', '1', '--out', self.data).returncode, 0)
        self.config = os.path.join(self.dir, 'gateway.toml')
        with open(self.config, 'w') as f:
            f.write('[plans.basic]\nrate = 10\nburst = 2\n')

    def tearDown(self):
        shutil.rmtree(self.dir)

    def test_limits_needs_a_gateway(self):
        out = run('serve', '--data', self.data, '--limits', 'redis://127.0.0.1:6379')
        self.assertNotEqual(out.returncode, 0)
        self.assertIn('--limits needs --gateway', out.stderr)

    def test_overshoot_needs_redis(self):
        for option, value in (('--limits-overshoot', '5'), ('--limits-overshoot-share', '0.1')):
            out = run('serve', '--data', self.data, '--gateway', self.config, option, value)
            self.assertNotEqual(out.returncode, 0)
            self.assertIn(option + ' needs --limits redis://', out.stderr)
        out = run('serve', '--data', self.data, '--gateway', self.config, '--limits', 'redis://127.0.0.1:1',
                  '--limits-overshoot-share', '2')
        self.assertNotEqual(out.returncode, 0)
        self.assertIn('--limits-overshoot-share', out.stderr)

    def test_unknown_store_and_bad_url_are_named(self):
        out = run('serve', '--data', self.data, '--gateway', self.config, '--limits', 'memcached://h')
        self.assertNotEqual(out.returncode, 0)
        self.assertIn('--limits must be "memory" or redis://host:port[/db]', out.stderr)
        out = run('serve', '--data', self.data, '--gateway', self.config, '--limits', 'redis://h:0')
        self.assertNotEqual(out.returncode, 0)
        self.assertIn("--limits: bad Redis URL 'redis://h:0': the port must be a number from 1 to 65535",
                      out.stderr)


if __name__ == '__main__':
    ap = argparse.ArgumentParser()
    ap.add_argument('--accidents', required=True)
    args, rest = ap.parse_known_args()
    BINARY = os.path.abspath(args.accidents)
    if not os.path.exists(REDIS_SERVER):
        print('skipped: %s is absent (Debian package redis-server, installed by scripts/install-deps)' % REDIS_SERVER)
        sys.exit(SKIP)
    unittest.main(argv=[sys.argv[0], *rest], verbosity=2)
