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
