// DuckDB anchor of the analysis API benchmarks (issue 4): the table is loaded once from FILE
// (CREATE TABLE AS SELECT * FROM read_csv, as load.mjs does), then each query is run once to warm
// up and timed RUNS times in process; the median is reported. FILE must be UTF-8 (bench/run-all
// converts the latin-1 datasheet with iconv first). The COPY writes into a temporary folder that is
// removed at the end. Prints one JSON object.
//   node queries.mjs FILE [RUNS]
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openEvents, quote, timed } from './events.mjs';

const [file, runsArg = '15'] = process.argv.slice(2);
if (!file) {
  console.error('usage: node queries.mjs FILE [RUNS]');
  process.exit(2);
}
const runs = Number(runsArg);

const { connection, scalar } = await openEvents(file);
const version = await scalar('SELECT version() AS v');
const threads = Number(await scalar("SELECT current_setting('threads')"));
const rows = Number(await scalar('SELECT count(*) FROM events'));
const dateType = await scalar(
  "SELECT data_type FROM information_schema.columns WHERE table_name = 'events' AND column_name = 'Event.Date'");

const out = mkdtempSync(join(tmpdir(), 'duckdb-queries-'));
const jsonFile = join(out, 'year-1982.json');

const queries = {
  filter_count: `SELECT count(*) FROM events WHERE Make = 'Cessna' AND "Total.Fatal.Injuries" > 0`,
  group_by_year: `SELECT year("Event.Date") AS y, count(*) AS count, sum("Total.Fatal.Injuries") AS fatal,
      sum("Total.Serious.Injuries") AS serious, sum("Total.Minor.Injuries") AS minor,
      sum("Total.Uninjured") AS uninjured
    FROM events GROUP BY y ORDER BY y`,
  year_1982_json: `COPY (SELECT * FROM events WHERE year("Event.Date") = 1982) TO ${quote(jsonFile)}
    (FORMAT JSON, ARRAY true)`,
};

const results = {};
for (const [name, sql] of Object.entries(queries)) {
  // Each run reads the whole answer into JavaScript (getRows), as a client of the API would.
  const once = async () => (await connection.run(sql)).getRows();
  const { answer, ms, ms_best, ms_median } = await timed(runs, once);
  results[name] = {
    sql: sql.replace(/\s+/g, ' ').replace(quote(jsonFile), "'year-1982.json'"),
    ms,
    ms_best,
    ms_median,
  };
  if (name === 'filter_count') {
    results[name].count = Number(answer[0][0]);
  } else if (name === 'group_by_year') {
    results[name].groups = answer.length;
    results[name].rows_counted = answer.reduce((total, row) => total + Number(row[1]), 0);
  } else {
    results[name].rows = Number(answer[0]?.[0] ?? 0); // COPY answers the number of rows written
    results[name].file_bytes = statSync(jsonFile).size;
  }
}
connection.closeSync();
rmSync(out, { recursive: true, force: true });

console.log(JSON.stringify({
  duckdb_version: version,
  threads,
  rows,
  event_date_type: dateType,
  runs,
  queries: results,
}));
