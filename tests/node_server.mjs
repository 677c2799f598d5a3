// Starts `accidents serve` on a free loopback port and fetches from it (Node's standard library).
import { spawn } from 'node:child_process';
import { gunzipSync } from 'node:zlib';
import http from 'node:http';

export const SKIP = 77; // ctest's SKIP_RETURN_CODE

// `--name value` pairs of the command line.
export function parseArgs(argv = process.argv.slice(2)) {
  const args = {};
  for (let i = 0; i < argv.length; i += 1) {
    if (argv[i].startsWith('--')) {
      args[argv[i].slice(2)] = argv[i + 1];
      i += 1;
    }
  }
  return args;
}

export class Server {
  static async start(binary, data, extra = []) {
    const server = new Server();
    server.proc = spawn(binary, ['serve', '--data', data, '--port', '0', '--no-access-log', ...extra], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    server.log = '';
    const port = await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`server did not start:\n${server.log}`)), 120_000);
      const onData = (chunk) => {
        server.log += chunk.toString();
        const m = /serving on http:\/\/[^:]+:(\d+)/.exec(server.log);
        if (m) {
          clearTimeout(timer);
          resolve(Number(m[1]));
        }
      };
      server.proc.stdout.on('data', onData);
      server.proc.stderr.on('data', onData);
      server.proc.on('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`server exited early (${code}):\n${server.log}`));
      });
    });
    server.port = port;
    return server;
  }

  // Sends a request; resolves to { status, headers (lower-case names), body (Buffer, gunzipped), text }.
  request(path, { method = 'GET', headers = {} } = {}) {
    return new Promise((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port: this.port, path, method, headers, agent: false }, (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          let body = Buffer.concat(chunks);
          if (res.headers['content-encoding'] === 'gzip' && body.length > 0) {
            body = gunzipSync(body);
          }
          resolve({ status: res.statusCode, headers: res.headers, body, text: body.toString('utf8') });
        });
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end();
    });
  }

  async json(path, options) {
    const r = await this.request(path, options);
    return { ...r, json: r.text.length ? JSON.parse(r.text) : undefined };
  }

  async stop() {
    if (this.proc.exitCode === null && this.proc.signalCode === null) {
      this.proc.removeAllListeners('exit'); // the start-up listener
      const exited = new Promise((resolve) => this.proc.once('exit', resolve));
      this.proc.kill('SIGTERM');
      await exited;
    }
  }
}
