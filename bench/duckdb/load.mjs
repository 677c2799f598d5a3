// DuckDB anchor of the load benchmark: CREATE TABLE AS SELECT * FROM read_csv(FILE), timed in
// process, median of RUNS, on THREADS threads (default: DuckDB's, one per core). FILE must be UTF-8
// (DuckDB rejects the latin-1 datasheet; bench/run-all converts it with iconv first). Prints one
// JSON object.
//   node load.mjs FILE [RUNS] [THREADS]
import { DuckDBInstance } from '@duckdb/node-api';

const [file, runsArg = '7', threadsArg] = process.argv.slice(2);
if (!file) {
  console.error('usage: node load.mjs FILE [RUNS] [THREADS]');
  process.exit(2);
}
const runs = Number(runsArg);

const instance = await DuckDBInstance.create(':memory:');
const connection = await instance.connect();
if (threadsArg) {
  await connection.run(`SET threads = ${Number(threadsArg)}`);
}
const version = (await (await connection.run('SELECT version() AS v')).getRows())[0][0];
const threads = (await (await connection.run("SELECT current_setting('threads')")).getRows())[0][0];
const source = `'${file.replaceAll("'", "''")}'`;

const millis = [];
let rows = 0;
for (let i = 0; i < runs; i++) {
  const started = process.hrtime.bigint();
  await connection.run(`CREATE OR REPLACE TABLE events AS SELECT * FROM read_csv(${source})`);
  millis.push(Number(process.hrtime.bigint() - started) / 1e6);
  rows = Number((await (await connection.run('SELECT count(*) FROM events')).getRows())[0][0]);
}
connection.closeSync();

const sorted = [...millis].sort((a, b) => a - b);
console.log(JSON.stringify({
  duckdb_version: version,
  threads: Number(threads),
  rows,
  runs,
  load_ms: millis,
  load_ms_best: sorted[0],
  load_ms_median: sorted[Math.floor(sorted.length / 2)],
  peak_rss_bytes: process.resourceUsage().maxRSS * 1024,
}));
