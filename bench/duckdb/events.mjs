// The table every DuckDB anchor reads: `events`, CREATE TABLE AS SELECT * FROM read_csv(FILE), in
// memory. FILE must be UTF-8 (bench/run-all converts the latin-1 datasheet with iconv first).
import { DuckDBInstance } from '@duckdb/node-api';

// A SQL string literal.
export const quote = (text) => `'${text.replaceAll("'", "''")}'`;

// The connection with `events` loaded, and `scalar(sql)`: the first value of a query's first row.
export async function openEvents(file) {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  const scalar = async (sql) => (await (await connection.run(sql)).getRows())[0][0];
  await connection.run(`CREATE TABLE events AS SELECT * FROM read_csv(${quote(file)})`);
  return { connection, scalar };
}

// Runs `once` to warm up, then `runs` times timed: its last answer and the times in ms (with the
// best and the median).
export async function timed(runs, once) {
  let answer = await once();
  const ms = [];
  for (let i = 0; i < runs; i++) {
    const started = process.hrtime.bigint();
    answer = await once();
    ms.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  const sorted = [...ms].sort((a, b) => a - b);
  return { answer, ms, ms_best: sorted[0], ms_median: sorted[Math.floor(sorted.length / 2)] };
}
