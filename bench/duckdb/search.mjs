// DuckDB anchor of the full-text search benchmarks (issue 14): the scan a database without a text
// index does instead, ILIKE over the column the words are in, with the same date filter, the first
// 20 rows and the count of the matches (our X-Total-Count). The table is loaded once from FILE
// (UTF-8; bench/run-all converts the latin-1 datasheet with iconv); each query runs once to warm up,
// then RUNS times; the median is reported. Prints one JSON object.
//   node search.mjs FILE KIND [RUNS]     KIND: demo (probable causes) or datasheet (places)
import { openEvents, quote, timed } from './events.mjs';

const [file, kind, runsArg = '15'] = process.argv.slice(2);
if (!file || !['demo', 'datasheet'].includes(kind)) {
  console.error('usage: node search.mjs FILE demo|datasheet [RUNS]');
  process.exit(2);
}
const runs = Number(runsArg);

const { connection, scalar } = await openEvents(file);
const version = await scalar('SELECT version()');

const since = `"Event.Date" >= DATE '2015-01-01'`;
const searches = kind === 'demo'
  ? {
      demo_phrase: `"Report.Status" ILIKE '%loss of engine power%' AND ${since}`,
      demo_words: `"Report.Status" ILIKE '%pilot%' AND "Report.Status" ILIKE '%stall%' AND ${since}`,
    }
  : { datasheet_place: `"Location" ILIKE '%anchorage%' AND ${since}` };

const results = {};
for (const [name, where] of Object.entries(searches)) {
  const once = async () => {
    const rows = (await connection.run(
      `SELECT "Event.Id", "Event.Date", "Make", "Report.Status" FROM events WHERE ${where} LIMIT 20`)).getRows();
    const count = (await (await connection.run(`SELECT count(*) FROM events WHERE ${where}`)).getRows())[0][0];
    return { rows: (await rows).length, count: Number(count) };
  };
  const { answer, ms_median, ms_best } = await timed(runs, once);
  results[name] = { where, count: answer.count, ms_median, ms_best };
}
connection.closeSync();
console.log(JSON.stringify({ duckdb_version: version, searches: results }));
