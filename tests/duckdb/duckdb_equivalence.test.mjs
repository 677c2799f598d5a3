// Compares the API's answers on the 2019 datasheet with DuckDB's on the same file: counts
// (X-Total-Count), row sets and orders (Accident.Number, unique per record), sums and groups of
// /stats, paging, and the CSV and GeoJSON exports.
//
//   node tests/duckdb/duckdb_equivalence.test.mjs --accidents build/release/src/accidents \
//        --shared-data ../shared/data
//
// Exit code 77 (skipped) when the datasheet or the npm package (scripts/install-deps) is absent.
//
// DuckDB reads the file with every column as VARCHAR, then casts explicitly, with the engine's
// semantics spelled out in SQL: the pandas NA markers and empty cells are NULL; a NULL cell matches
// no condition but IS NULL; text equality is exact; contains/startswith are case-insensitive
// (ILIKE; the needles here are ASCII); `q` searches the text and category columns. The file is
// latin-1-decoded for DuckDB (it rejects the file's few non-UTF-8 bytes); the engine reads those as
// Windows-1252. They sit in Location and Airport.Name only, and no comparison here depends on them.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { parseArgs, Server, SKIP } from '../node_server.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const args = parseArgs();
const binary = args.accidents ?? path.join(here, '../../build/release/src/accidents');
const sharedData = args['shared-data'] ?? path.join(here, '../../../shared/data');
const datasheet = path.join(sharedData, 'AviationData.full-2019.ha-tran.csv');

if (!existsSync(datasheet)) {
  console.log(`SKIP: the 2019 datasheet is absent (${datasheet})`);
  process.exit(SKIP);
}
let DuckDBInstance;
try {
  ({ DuckDBInstance } = await import('@duckdb/node-api'));
} catch (e) {
  console.log(`SKIP: @duckdb/node-api is not installed in tests/duckdb (run scripts/install-deps): ${e.message}`);
  process.exit(SKIP);
}

// pandas 1.5's default NA markers (src/data/schema.cpp), and the empty cell.
const NA = ['', '#N/A', '#N/A N/A', '#NA', '-1.#IND', '-1.#QNAN', '-NaN', '-nan', '1.#IND', '1.#QNAN', '<NA>', 'N/A',
  'NA', 'NULL', 'NaN', 'n/a', 'nan', 'null'];
const NUMBER_COLUMNS = ['Number.of.Engines', 'Total.Fatal.Injuries', 'Total.Serious.Injuries', 'Total.Minor.Injuries',
  'Total.Uninjured', 'Latitude', 'Longitude'];

let server;
let dir;
let con;
let textColumns; // the columns `q` searches: the text and category columns of /schema
const results = { passed: 0, failed: 0, registered: 0 };
const failures = [];

const sqlString = (s) => `'${String(s).replaceAll("'", "''")}'`;
const q = (column) => `"${column}"`;
// `expression ILIKE %needle%` with LIKE's special characters escaped; ilike() for a column.
const ilikeExpr = (expression, needle, prefix = false) =>
  `${expression} ILIKE ${sqlString(`${prefix ? '' : '%'}${needle.replace(/[\\%_]/g, '\\$&')}%`)} ESCAPE '\\'`;
const ilike = (column, needle, prefix = false) => ilikeExpr(q(column), needle, prefix);

async function sql(text) {
  const reader = await con.runAndReadAll(text);
  return reader.getRowObjectsJS().map((row) =>
    Object.fromEntries(Object.entries(row).map(([k, v]) => [k, typeof v === 'bigint' ? Number(v) : v])));
}

before(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'duckdb-test-'));
  // DuckDB wants UTF-8: the bytes as latin-1 characters, as `iconv -f latin1 -t utf-8` writes them.
  const utf8 = path.join(dir, 'AviationData.utf8.csv');
  writeFileSync(utf8, Buffer.from(readFileSync(datasheet).toString('latin1'), 'utf8'));
  const instance = await DuckDBInstance.create(':memory:', { threads: '1' });
  con = await instance.connect();
  await con.run(`CREATE TABLE raw AS SELECT row_number() OVER () AS rid, * FROM read_csv(${sqlString(utf8)},
      header = true, all_varchar = true, quote = '"', escape = '"', nullstr = [${NA.map(sqlString).join(', ')}])`);
  const columns = (await sql('DESCRIBE raw')).map((r) => r.column_name).filter((c) => c !== 'rid');
  const typed = columns.map((c) => {
    if (c === 'Event.Date') return `TRY_CAST(${q(c)} AS DATE) AS ${q(c)}`;
    if (NUMBER_COLUMNS.includes(c)) return `TRY_CAST(${q(c)} AS DOUBLE) AS ${q(c)}`;
    return q(c);
  });
  await con.run(`CREATE VIEW av AS SELECT rid, ${typed.join(', ')}, year(TRY_CAST("Event.Date" AS DATE)) AS "Year"
      FROM raw`);
  server = await Server.start(binary, datasheet);
  const schema = await server.json('/api/schema');
  textColumns = schema.json.columns.filter((c) => c.type === 'text' || c.type === 'category').map((c) => c.name);
  // avc: av with each column that has canonical values mapped to them through the spellings
  // /api/schema lists (so the SQL below states what a canonical filter or group must answer).
  await con.run('CREATE TABLE canon (col VARCHAR, raw VARCHAR, value VARCHAR, label VARCHAR)');
  const mapped = schema.json.columns.filter((c) => c.canonical);
  const rows = mapped.flatMap((c) => c.canonical.values.flatMap((v) =>
    v.spellings.map((sp) => `(${[c.name, sp.value, v.value, v.label].map(sqlString).join(', ')})`)));
  for (let i = 0; i < rows.length; i += 2000) {
    await con.run(`INSERT INTO canon VALUES ${rows.slice(i, i + 2000).join(', ')}`);
  }
  const names = new Set(mapped.map((c) => c.name));
  const select = ['rid', ...columns, 'Year'].map((c) => (names.has(c) ? `${q(`c_${c}`)}.value AS ${q(c)}, av.${q(c)} AS ${q(`${c}:raw`)}`
    : `av.${q(c)}`));
  const joins = [...names].map((c) => `LEFT JOIN canon ${q(`c_${c}`)} ON ${q(`c_${c}`)}.col = ${sqlString(c)}
      AND ${q(`c_${c}`)}.raw = av.${q(c)}`);
  await con.run(`CREATE VIEW avc AS SELECT ${select.join(', ')} FROM av ${joins.join(' ')}`);
  await con.run(`CREATE VIEW labels AS SELECT col, value, any_value(label) AS label FROM canon GROUP BY 1, 2`);
});

after(async () => {
  await server?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
  const notRun = results.registered - results.passed - results.failed;
  console.log(`${results.passed} passed, ${results.failed + notRun} failed${notRun ? ` (${notRun} not run: see above)` : ''}`);
  for (const f of failures) console.log(`FAILED: ${f}`);
});

// A test that counts into the summary line.
function compare(name, fn) {
  results.registered += 1;
  test(name, async (t) => {
    try {
      await fn(t);
      results.passed += 1;
    } catch (e) {
      results.failed += 1;
      failures.push(`${name}: ${e.message.split('\n')[0]}`);
      throw e;
    }
  });
}

function firstDifference(ours, theirs) {
  const a = new Set(ours);
  const b = new Set(theirs);
  const onlyOurs = ours.filter((x) => !b.has(x)).slice(0, 5);
  const onlyTheirs = theirs.filter((x) => !a.has(x)).slice(0, 5);
  if (onlyOurs.length || onlyTheirs.length) return `only ours: ${onlyOurs.join(' ')}; only DuckDB's: ${onlyTheirs.join(' ')}`;
  const i = ours.findIndex((x, k) => x !== theirs[k]);
  return `same rows, order differs at ${i}: ours ${ours[i]}, DuckDB's ${theirs[i]}`;
}

// Our rows for a /query (Accident.Number in answer order) against DuckDB's for a WHERE clause,
// in file order or the given ORDER BY (ties in file order, as our sort is stable).
async function compareRows(query, where, orderBy = '', view = 'av') {
  const res = await server.json(`/api/query?${query}&fields=Accident.Number`);
  assert.equal(res.status, 200, res.text);
  const ours = res.json.map((r) => r['Accident.Number']);
  const order = orderBy ? `${orderBy}, rid` : 'rid';
  const theirs = (await sql(`SELECT "Accident.Number" AS n FROM ${view} WHERE ${where} ORDER BY ${order}`)).map((r) => r.n);
  assert.equal(Number(res.headers['x-total-count']), theirs.length, `X-Total-Count of ${query}`);
  assert.equal(ours.length, theirs.length, `rows of ${query}`);
  assert.ok(ours.every((x, i) => x === theirs[i]), `${query}: ${firstDifference(ours, theirs)}`);
  return theirs.length;
}

// Our /stats answer (JSON) against DuckDB's rows, member by member, in order.
async function compareStats(query, select) {
  const res = await server.json(`/api/stats?${query}`);
  assert.equal(res.status, 200, res.text);
  const theirs = await sql(select);
  const norm = (rows) => rows.map((r) => JSON.stringify(Object.entries(r).map(([k, v]) =>
    [k, typeof v === 'number' ? Math.round(v * 1e6) / 1e6 : v])));
  const a = norm(res.json);
  const b = norm(theirs);
  const i = a.findIndex((x, k) => x !== b[k]);
  assert.ok(a.length === b.length && i < 0,
    `${query}: ${a.length} groups vs DuckDB's ${b.length}; first difference: ours ${a[i] ?? '(none)'}, DuckDB's ${b[i] ?? '(none)'}`);
  return theirs.length;
}

// --- the harness itself --------------------------------------------------------------------------

compare('DuckDB and the engine read the same rows, nulls and numbers', async () => {
  const [{ n }] = await sql('SELECT count(*) AS n FROM av');
  const health = await server.json('/healthz');
  assert.equal(health.json.rows, n);
  // every non-null cell of a typed column casts (else the SQL below would silently drop rows)
  for (const c of [...NUMBER_COLUMNS, 'Event.Date']) {
    const type = c === 'Event.Date' ? 'DATE' : 'DOUBLE';
    const [{ bad }] = await sql(`SELECT count(*) AS bad FROM raw WHERE ${q(c)} IS NOT NULL
        AND TRY_CAST(${q(c)} AS ${type}) IS NULL`);
    assert.equal(bad, 0, `${c}: cells DuckDB cannot cast`);
  }
  // the null counts of /schema are DuckDB's
  const schema = await server.json('/api/schema');
  for (const col of schema.json.columns) {
    const [{ nulls }] = await sql(`SELECT count(*) - count(${q(col.name)}) AS nulls FROM av`);
    assert.equal(col.nulls, nulls, `nulls of ${col.name}`);
  }
});

// --- /query: filters, compared as row sets in order ------------------------------------------------

const D = (s) => `DATE ${sqlString(s)}`;
const rowCases = [
  ['every row', 'Event.Date__notnull=true', '"Event.Date" IS NOT NULL'],
  ['a year (the original contract)', 'year=2008', '"Year" = 2008'],
  ['fatal Cessna accidents in IMC since 2000 in Alaska',
    'Make:raw__in=Cessna,CESSNA&Total.Fatal.Injuries__gt=0&Weather.Condition:raw=IMC&from=2000-01-01&Location__contains=%2C%20AK',
    `"Make" IN ('Cessna', 'CESSNA') AND "Total.Fatal.Injuries" > 0 AND "Weather.Condition" = 'IMC'
     AND "Event.Date" >= ${D('2000-01-01')} AND ${ilike('Location', ', AK')}`],
  ['raw text equality is exact and case-sensitive', 'Make:raw=Cessna', `"Make" = 'Cessna'`],
  ['raw contains is case-insensitive', 'Make:raw__contains=cessna', ilike('Make', 'cessna')],
  ['raw startswith is case-insensitive', 'Make:raw__startswith=pIP', ilike('Make', 'pIP', true)],
  ['raw in', 'Make:raw__in=Boeing,BOEING,Airbus', `"Make" IN ('Boeing', 'BOEING', 'Airbus')`],
  ['raw notin leaves out nulls', 'Make:raw__notin=Cessna,Piper,CESSNA,PIPER', `"Make" NOT IN ('Cessna', 'Piper', 'CESSNA', 'PIPER')`],
  ['raw not leaves out nulls', 'Weather.Condition:raw__not=VMC', `"Weather.Condition" <> 'VMC'`],
  ['isnull', 'Weather.Condition__isnull=true', '"Weather.Condition" IS NULL'],
  ['notnull=false is isnull', 'Weather.Condition__notnull=false', '"Weather.Condition" IS NULL'],
  ['isnull=0 is notnull', 'Aircraft.Category__isnull=0&Aircraft.Category:raw__not=Airplane',
    `"Aircraft.Category" IS NOT NULL AND "Aircraft.Category" <> 'Airplane'`],
  ['NA markers are null (category)', 'Airport.Code__isnull=true', '"Airport.Code" IS NULL'],
  ['NA markers are null (category, notnull)', 'Airport.Name__notnull=1', '"Airport.Name" IS NOT NULL'],
  ['NA markers are null (text)', 'Registration.Number__isnull=true', '"Registration.Number" IS NULL'],
  ['startswith on a text column', 'Registration.Number__startswith=n12', ilike('Registration.Number', 'n12', true)],
  ['contains on a text column', 'Event.Id__contains=x0&year=2005', `${ilike('Event.Id', 'x0')} AND "Year" = 2005`],
  ['in on a text column', 'Accident.Number__in=GAA19CA098,MIA18LA001,NONE',
    `"Accident.Number" IN ('GAA19CA098', 'MIA18LA001', 'NONE')`],
  ['number gte', 'Total.Fatal.Injuries__gte=10', '"Total.Fatal.Injuries" >= 10'],
  ['number eq', 'Total.Fatal.Injuries=0', '"Total.Fatal.Injuries" = 0'],
  ['number not (nulls left out)', 'Total.Fatal.Injuries__not=0', '"Total.Fatal.Injuries" <> 0'],
  ['number in', 'Total.Fatal.Injuries__in=1,2,3', '"Total.Fatal.Injuries" IN (1, 2, 3)'],
  ['number notin', 'Total.Fatal.Injuries__notin=0,1', '"Total.Fatal.Injuries" NOT IN (0, 1)'],
  ['number lt and lte', 'Total.Uninjured__lt=1&Total.Serious.Injuries__lte=0',
    '"Total.Uninjured" < 1 AND "Total.Serious.Injuries" <= 0'],
  ['number gt', 'Number.of.Engines__gt=2', '"Number.of.Engines" > 2'],
  ['number isnull', 'Number.of.Engines__isnull=true', '"Number.of.Engines" IS NULL'],
  ['latitude and longitude ranges', 'Latitude__gt=60&Longitude__lt=-140', '"Latitude" > 60 AND "Longitude" < -140'],
  ['latitude between', 'Latitude__gte=-10&Latitude__lte=10.5', '"Latitude" BETWEEN -10 AND 10.5'],
  ['bbox', 'bbox=-125,24,-66,50',
    '"Latitude" BETWEEN 24 AND 50 AND "Longitude" BETWEEN -125 AND -66'],
  ['bbox across the antimeridian', 'bbox=170,-60,-170,70',
    '"Latitude" BETWEEN -60 AND 70 AND ("Longitude" >= 170 OR "Longitude" <= -170)'],
  ['has_coords', 'has_coords=true', '"Latitude" IS NOT NULL AND "Longitude" IS NOT NULL'],
  ['has_coords=false adds no condition', 'has_coords=false&year=2015', '"Year" = 2015'],
  ['from and to', 'from=2010-01-01&to=2010-12-31', `"Event.Date" BETWEEN ${D('2010-01-01')} AND ${D('2010-12-31')}`],
  ['to alone', 'to=1982-12-31', `"Event.Date" <= ${D('1982-12-31')}`],
  ['date gt', 'Event.Date__gt=2018-06-30', `"Event.Date" > ${D('2018-06-30')}`],
  ['date eq', 'Event.Date=2018-07-04', `"Event.Date" = ${D('2018-07-04')}`],
  ['date in', 'Event.Date__in=2018-07-04,2017-07-04', `"Event.Date" IN (${D('2018-07-04')}, ${D('2017-07-04')})`],
  ['date lt written M/D/YYYY', 'Event.Date__lt=1/15/1982', `"Event.Date" < ${D('1982-01-15')}`],
  ['date-like text column isnull', 'Publication.Date__isnull=true&year=2018', '"Publication.Date" IS NULL AND "Year" = 2018'],
  ['q searches every text column', 'q=glider', () => `(${textColumns.map((c) => ilike(c, 'glider')).join(' OR ')})`],
  ['q with a year', 'q=Anchorage&year=2010', () => `(${textColumns.map((c) => ilike(c, 'Anchorage')).join(' OR ')}) AND "Year" = 2010`],
  ['q matching identifiers', 'q=x0123', () => `(${textColumns.map((c) => ilike(c, 'x0123')).join(' OR ')})`],
  ['q with a space and a comma', 'q=lake%2C%20', () => `(${textColumns.map((c) => ilike(c, 'lake, ')).join(' OR ')})`],
  ['category startswith', 'Investigation.Type:raw=Accident&Injury.Severity:raw__startswith=fatal',
    `"Investigation.Type" = 'Accident' AND ${ilike('Injury.Severity', 'fatal', true)}`],
  ['two category conditions', 'Broad.Phase.of.Flight:raw__in=TAKEOFF,LANDING&Aircraft.Damage:raw=Destroyed',
    `"Broad.Phase.of.Flight" IN ('TAKEOFF', 'LANDING') AND "Aircraft.Damage" = 'Destroyed'`],
  ['raw equality is case-sensitive (the file says TAKEOFF)', 'Broad.Phase.of.Flight:raw=Takeoff',
    `"Broad.Phase.of.Flight" = 'Takeoff'`, { empty: true }],
  ['three category conditions', 'Purpose.of.Flight:raw=Personal&Amateur.Built:raw=Yes&Engine.Type:raw__not=Reciprocating',
    `"Purpose.of.Flight" = 'Personal' AND "Amateur.Built" = 'Yes' AND "Engine.Type" <> 'Reciprocating'`],
  ['a value with a space', 'Country:raw__not=United%20States&Country__notnull=true',
    `"Country" <> 'United States' AND "Country" IS NOT NULL`],
  ['column names case- and punctuation-insensitive', 'make:raw=Cessna&total_fatal_injuries__gt=0',
    `"Make" = 'Cessna' AND "Total.Fatal.Injuries" > 0`],
  ['schedule and FAR part', 'Schedule:raw__in=SCHD,NSCH&FAR.Description:raw__contains=121',
    `"Schedule" IN ('SCHD', 'NSCH') AND ${ilike('FAR.Description', '121')}`],
  ['decimal equality on a coordinate', 'Latitude=34.97', '"Latitude" = 34.97'],
  ['a number written with an exponent', 'Total.Fatal.Injuries__gte=1e1&Total.Fatal.Injuries__lt=2.5e1',
    '"Total.Fatal.Injuries" >= 10 AND "Total.Fatal.Injuries" < 25'],
  ['date not', 'Event.Date__not=2018-07-04&year=2018', `"Event.Date" <> ${D('2018-07-04')} AND "Year" = 2018`],
  ['an empty list item matches nothing more', 'Make:raw__in=Bellanca,', `"Make" IN ('Bellanca')`],
];
for (const [name, query, where, { empty = false } = {}] of rowCases) {
  compare(`/query ${name}: ${decodeURIComponent(query)}`, async (t) => {
    const n = await compareRows(query, typeof where === 'function' ? where() : where);
    t.diagnostic(`${n} rows`);
    if (empty) assert.equal(n, 0);
    else assert.ok(n > 0, 'a comparison of no rows proves little: choose a condition some rows meet');
  });
}

// --- /query: filters on canonical values, against avc ---------------------------------------------

// The canonical value a raw spelling folds to, as /api/schema lists it.
const canonOf = (column, raw) => `(SELECT value FROM canon WHERE col = ${sqlString(column)} AND raw = ${sqlString(raw)})`;
// ILIKE on a canonical value or its label.
const ilikeLabel = (column, needle, prefix = false) => `(${ilike(column, needle, prefix)} OR EXISTS (SELECT 1 FROM labels l
    WHERE l.col = ${sqlString(column)} AND l.value = avc.${q(column)} AND ${ilikeExpr('l.label', needle, prefix)}))`;
const canonicalRowCases = [
  ['a make by any case', 'Make=cessna', `"Make" = 'Cessna'`],
  ['a make by a spelling with corporate words', 'Make=CESSNA%20AIRCRAFT%20CO&year=2010',
    `"Make" = ${canonOf('Make', 'CESSNA AIRCRAFT CO')} AND "Year" = 2010`],
  ['an aliased make', 'Make=Robinson%20Helicopter%20Company', `"Make" = 'Robinson'`],
  ['makes in a list', 'Make__in=Boeing,airbus,BEECHCRAFT', `"Make" IN ('Boeing', 'Airbus', 'Beech')`],
  ['makes not in a list leave out nulls', 'Make__notin=Cessna,Piper', `"Make" NOT IN ('Cessna', 'Piper')`],
  ['a make not equal', 'Make__not=cessna&year=2015', `"Make" <> 'Cessna' AND "Year" = 2015`],
  ['contains on canonical makes', 'Make__contains=douglas', ilikeLabel('Make', 'douglas')],
  ['phases in either case', 'Broad.Phase.of.Flight__in=takeoff,LANDING', `"Broad.Phase.of.Flight" IN ('Takeoff', 'Landing')`],
  ['a phase written as the current release does', 'Broad.Phase.of.Flight=Go-around', `"Broad.Phase.of.Flight" = 'Go-around'`],
  ['the fatal level', 'Injury.Severity=fatal', `"Injury.Severity" = 'Fatal'`],
  ['a recorded unknown is a value', 'Weather.Condition=unk', `"Weather.Condition" = 'Unknown'`],
  ['a label names its value', 'Weather.Condition=Instrument%20(IMC)', `"Weather.Condition" = 'IMC'`],
  ['startswith looks into labels', 'Weather.Condition__startswith=vis', ilikeLabel('Weather.Condition', 'vis', true)],
  ['a canonical not leaves out nulls', 'Weather.Condition__not=VMC', `"Weather.Condition" <> 'VMC'`],
  ['models without hyphens', 'Model=PA28140', `"Model" = ${canonOf('Model', 'PA-28-140')}`],
  ['canonical and raw conditions together', 'Make=piper&Make:raw__not=PIPER', `"Make" = 'Piper' AND "Make:raw" <> 'PIPER'`],
  ['isnull is the same on both', 'Make__isnull=true', '"Make" IS NULL'],
];
for (const [name, query, where] of canonicalRowCases) {
  compare(`/query canonical: ${name}: ${decodeURIComponent(query)}`, async (t) => {
    const n = await compareRows(query, where, '', 'avc');
    t.diagnostic(`${n} rows`);
    assert.ok(n > 0, 'a comparison of no rows proves little: choose a condition some rows meet');
  });
}

// --- /query: order, paging and formats -------------------------------------------------------------

compare('sort descending by a number, nulls last, ties in file order', async () => {
  await compareRows('year=2008&sort=-Total.Fatal.Injuries', '"Year" = 2008', '"Total.Fatal.Injuries" DESC NULLS LAST');
});
compare('sort by a category then a date descending', async () => {
  await compareRows('Country:raw=Brazil&sort=Make,-Event.Date', `"Country" = 'Brazil'`,
    '"Make" ASC NULLS LAST, "Event.Date" DESC NULLS LAST');
});
compare('sort by a text column', async () => {
  await compareRows('year=2017&sort=Registration.Number', '"Year" = 2017', '"Registration.Number" ASC NULLS LAST');
});
compare('sort by latitude descending with has_coords', async () => {
  await compareRows('has_coords=true&Make:raw=Piper&sort=-Latitude', `"Make" = 'Piper' AND "Latitude" IS NOT NULL
    AND "Longitude" IS NOT NULL`, '"Latitude" DESC NULLS LAST');
});
compare('paging with limit and the Link cursor returns the ordered rows once each', async () => {
  let url = '/api/query?Make:raw__in=Cessna,CESSNA&from=2015-01-01&sort=Event.Date&limit=97&fields=Accident.Number';
  const ours = [];
  let pages = 0;
  while (url) {
    const res = await server.json(url);
    assert.equal(res.status, 200, res.text);
    ours.push(...res.json.map((r) => r['Accident.Number']));
    pages += 1;
    url = res.headers.link ? /^<([^>]+)>; rel="next"$/.exec(res.headers.link)[1] : null;
  }
  const theirs = (await sql(`SELECT "Accident.Number" AS n FROM av WHERE "Make" IN ('Cessna', 'CESSNA')
      AND "Event.Date" >= ${D('2015-01-01')} ORDER BY "Event.Date", rid`)).map((r) => r.n);
  assert.equal(pages, Math.ceil(theirs.length / 97));
  assert.deepEqual(ours, theirs);
});
compare('CSV export: the rows and values of a filter', async () => {
  const res = await server.request('/api/query?Make:raw=Cessna&year=2010&fields=Accident.Number,Event.Date,Total.Fatal.Injuries&format=csv');
  const lines = res.text.split('\r\n').filter(Boolean);
  assert.equal(lines[0], 'Accident.Number,Event.Date,Total.Fatal.Injuries');
  const theirs = await sql(`SELECT "Accident.Number" || ',' || strftime("Event.Date", '%Y-%m-%d') || ','
      || coalesce(CAST(CAST("Total.Fatal.Injuries" AS BIGINT) AS VARCHAR), '') AS line
      FROM av WHERE "Make" = 'Cessna' AND "Year" = 2010 ORDER BY rid`);
  assert.deepEqual(lines.slice(1), theirs.map((r) => r.line));
});
compare('GeoJSON export: features with coordinates, the others counted', async () => {
  const res = await server.json('/api/query?year=2012&format=geojson&fields=Accident.Number');
  const [{ n, with_coords: withCoords, lon, lat }] = await sql(`SELECT count(*) AS n,
      count(*) FILTER (WHERE "Latitude" IS NOT NULL AND "Longitude" IS NOT NULL) AS with_coords,
      sum("Longitude") FILTER (WHERE "Latitude" IS NOT NULL) AS lon,
      sum("Latitude") FILTER (WHERE "Longitude" IS NOT NULL) AS lat FROM av WHERE "Year" = 2012`);
  assert.equal(res.json.features.length, withCoords);
  assert.equal(res.json.without_coordinates, n - withCoords);
  const sum = (i) => res.json.features.reduce((s, f) => s + f.geometry.coordinates[i], 0);
  assert.ok(Math.abs(sum(0) - lon) < 1e-6 && Math.abs(sum(1) - lat) < 1e-6, 'coordinate sums');
});
compare('sums of the rows a filter returns', async () => {
  const res = await server.json('/api/query?Weather.Condition:raw=IMC&from=2005-01-01&fields=Total.Fatal.Injuries,Total.Uninjured');
  const [t] = await sql(`SELECT coalesce(sum("Total.Fatal.Injuries"), 0) AS f, coalesce(sum("Total.Uninjured"), 0) AS u
      FROM av WHERE "Weather.Condition" = 'IMC' AND "Event.Date" >= ${D('2005-01-01')}`);
  assert.equal(res.json.reduce((s, r) => s + (r['Total.Fatal.Injuries'] ?? 0), 0), t.f);
  assert.equal(res.json.reduce((s, r) => s + (r['Total.Uninjured'] ?? 0), 0), t.u);
});

// --- /stats: groups, sums and orders --------------------------------------------------------------

const sums = {
  count: 'count(*) AS count',
  fatal: 'coalesce(sum("Total.Fatal.Injuries"), 0) AS fatal',
  serious: 'coalesce(sum("Total.Serious.Injuries"), 0) AS serious',
  minor: 'coalesce(sum("Total.Minor.Injuries"), 0) AS minor',
  uninjured: 'coalesce(sum("Total.Uninjured"), 0) AS uninjured',
  events: 'count(DISTINCT "Event.Id") AS events',
  fatal_events: 'count(*) FILTER (WHERE "Total.Fatal.Injuries" > 0) AS fatal_events',
  deaths_per_event: 'coalesce(sum("Total.Fatal.Injuries"), 0) / count(*) AS deaths_per_event',
  share: 'count(*) / sum(count(*)) OVER () AS share',
};
const m = (...names) => names.map((n) => sums[n]).join(', ');
// Groups of canonical values are read from avc (the canonical columns mapped through /api/schema's
// spellings), groups of raw values (:raw) from av.
const statsCases = [
  ['per year, every metric', 'group_by=year&metrics=count,fatal,serious,minor,uninjured,events',
    `SELECT "Year" AS year, ${m('count', 'fatal', 'serious', 'minor', 'uninjured', 'events')} FROM av
     GROUP BY 1 ORDER BY 1 NULLS LAST`],
  ['per phase of flight (canonical)', 'group_by=Broad.Phase.of.Flight&metrics=count,fatal',
    `SELECT "Broad.Phase.of.Flight", ${m('count', 'fatal')} FROM avc GROUP BY 1 ORDER BY 1 NULLS LAST`],
  ['per phase of flight (raw)', 'group_by=Broad.Phase.of.Flight:raw&metrics=count,fatal',
    `SELECT "Broad.Phase.of.Flight" AS "Broad.Phase.of.Flight:raw", ${m('count', 'fatal')} FROM av GROUP BY 1
     ORDER BY 1 NULLS LAST`],
  ['per year and weather since 2000', 'group_by=year,Weather.Condition&metrics=count,fatal&from=2000-01-01',
    `SELECT "Year" AS year, "Weather.Condition", ${m('count', 'fatal')} FROM avc WHERE "Event.Date" >= ${D('2000-01-01')}
     GROUP BY 1, 2 ORDER BY 1 NULLS LAST, 2 NULLS LAST`],
  ['top 10 makes by count (canonical)', 'group_by=Make&metrics=count,fatal&sort=-count&top=10',
    `SELECT "Make", ${m('count', 'fatal')} FROM avc GROUP BY 1 ORDER BY count DESC, 1 NULLS LAST LIMIT 10`],
  ['top 10 makes by count (raw)', 'group_by=Make:raw&metrics=count,fatal&sort=-count&top=10',
    `SELECT "Make" AS "Make:raw", ${m('count', 'fatal')} FROM av GROUP BY 1 ORDER BY count DESC, 1 NULLS LAST LIMIT 10`],
  ['top 5 purposes by deaths among fatal accidents', 'group_by=Purpose.of.Flight&metrics=fatal&sort=-fatal&top=5&Total.Fatal.Injuries__gt=0',
    `SELECT "Purpose.of.Flight", ${m('fatal')} FROM avc WHERE "Total.Fatal.Injuries" > 0 GROUP BY 1
     ORDER BY fatal DESC, 1 NULLS LAST LIMIT 5`],
  ['per month of a year for Cessna', 'group_by=month&Make=cessna&year=2010',
    `SELECT strftime("Event.Date", '%Y-%m') AS month, ${m('count')} FROM avc WHERE "Make" = 'Cessna'
     AND "Year" = 2010 GROUP BY 1 ORDER BY 1 NULLS LAST`],
  ['per engine count and type (number keys)', 'group_by=Number.of.Engines,Engine.Type&metrics=count,uninjured',
    `SELECT "Number.of.Engines", "Engine.Type", ${m('count', 'uninjured')} FROM avc GROUP BY 1, 2
     ORDER BY 1 NULLS LAST, 2 NULLS LAST`],
  ['countries with coordinates by distinct events', 'group_by=Country&metrics=count,events&has_coords=true&sort=-events,Country&top=15',
    `SELECT "Country", ${m('count', 'events')} FROM avc WHERE "Latitude" IS NOT NULL AND "Longitude" IS NOT NULL
     GROUP BY 1 ORDER BY events DESC, 1 NULLS LAST LIMIT 15`],
  ['Event.Date:year and raw investigation type of a text search', 'group_by=Event.Date:year,Investigation.Type:raw&q=helicopter',
    () => `SELECT "Year" AS year, "Investigation.Type" AS "Investigation.Type:raw", ${m('count')} FROM av
     WHERE (${textColumns.map((c) => ilike(c, 'helicopter')).join(' OR ')}) GROUP BY 1, 2 ORDER BY 1 NULLS LAST, 2 NULLS LAST`],
  ['damage inside a bounding box (Alaska)', 'group_by=Aircraft.Damage&bbox=-170,50,-130,72&metrics=count,fatal,serious',
    `SELECT "Aircraft.Damage", ${m('count', 'fatal', 'serious')} FROM avc WHERE "Latitude" BETWEEN 50 AND 72
     AND "Longitude" BETWEEN -170 AND -130 GROUP BY 1 ORDER BY 1 NULLS LAST`],
  ['raw injury severities in IMC, top 8', 'group_by=Injury.Severity:raw&Weather.Condition:raw=IMC&sort=-count,Injury.Severity:raw&top=8',
    `SELECT "Injury.Severity" AS "Injury.Severity:raw", ${m('count')} FROM av WHERE "Weather.Condition" = 'IMC' GROUP BY 1
     ORDER BY count DESC, 1 LIMIT 8`],
  ['injury levels in IMC', 'group_by=Injury.Severity&Weather.Condition=imc&sort=-count',
    `SELECT "Injury.Severity", ${m('count')} FROM avc WHERE "Weather.Condition" = 'IMC' GROUP BY 1
     ORDER BY count DESC, 1 NULLS LAST`],
  ['per day (date keys)', 'group_by=Event.Date&from=2018-12-01&metrics=count,minor',
    `SELECT strftime("Event.Date", '%Y-%m-%d') AS "Event.Date", ${m('count', 'minor')} FROM av
     WHERE "Event.Date" >= ${D('2018-12-01')} GROUP BY 1 ORDER BY 1`],
  ['fatal Cessna accidents in IMC in Alaska per year',
    'group_by=year&metrics=count,fatal&Make=Cessna%20Aircraft%20Co&Total.Fatal.Injuries__gt=0&Weather.Condition=IMC&Location__contains=%2C%20AK',
    `SELECT "Year" AS year, ${m('count', 'fatal')} FROM avc WHERE "Make" = 'Cessna'
     AND "Total.Fatal.Injuries" > 0 AND "Weather.Condition" = 'IMC' AND ${ilike('Location', ', AK')}
     GROUP BY 1 ORDER BY 1`],
  ['ascending by count, ties by key', 'group_by=Weather.Condition&sort=count',
    `SELECT "Weather.Condition", ${m('count')} FROM avc GROUP BY 1 ORDER BY count, 1 NULLS LAST`],
  ['descending keys keep nulls last', 'group_by=Amateur.Built&sort=-Amateur.Built&metrics=count,events',
    `SELECT "Amateur.Built", ${m('count', 'events')} FROM avc GROUP BY 1 ORDER BY 1 DESC NULLS LAST`],
  ['events differ from rows where events have several aircraft', 'group_by=Investigation.Type&metrics=count,events&year=2001',
    `SELECT "Investigation.Type", ${m('count', 'events')} FROM avc WHERE "Year" = 2001 GROUP BY 1 ORDER BY 1 NULLS LAST`],
  ['rates per phase: fatal events, deaths per event, share of the selection',
    'group_by=Broad.Phase.of.Flight&metrics=count,fatal_events,deaths_per_event,share&from=2000-01-01',
    `SELECT "Broad.Phase.of.Flight", ${m('count', 'fatal_events', 'deaths_per_event', 'share')} FROM avc
     WHERE "Event.Date" >= ${D('2000-01-01')} GROUP BY 1 ORDER BY 1 NULLS LAST`],
  ['makes by deaths per event, share kept before top', 'group_by=Make&metrics=count,deaths_per_event,share&sort=-count&top=5',
    `SELECT "Make", ${m('count', 'deaths_per_event', 'share')} FROM avc GROUP BY 1 ORDER BY count DESC, 1 LIMIT 5`],
];
for (const [name, query, select] of statsCases) {
  compare(`/stats ${name}: ${decodeURIComponent(query)}`, async (t) => {
    const n = await compareStats(query, typeof select === 'function' ? select() : select);
    t.diagnostic(`${n} groups`);
    assert.ok(n > 0, 'no groups');
  });
}

compare('/stats fatal_share and its Wilson interval per category', async () => {
  const res = await server.json('/api/stats?group_by=Aircraft.Category&metrics=count,fatal_events,fatal_share');
  assert.equal(res.status, 200, res.text);
  const theirs = await sql(`SELECT "Aircraft.Category" AS k, ${m('count', 'fatal_events')} FROM avc GROUP BY 1
      ORDER BY 1 NULLS LAST`);
  assert.equal(res.json.length, theirs.length);
  const z = 1.959963984540054;
  for (const [i, ours] of res.json.entries()) {
    const { k, count: n, fatal_events: x } = theirs[i];
    assert.equal(ours['Aircraft.Category'], k);
    assert.equal(ours.fatal_events, x);
    const p = x / n;
    const centre = (p + (z * z) / (2 * n)) / (1 + (z * z) / n);
    const half = (z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / (1 + (z * z) / n);
    assert.ok(Math.abs(ours.fatal_share - p) < 1e-12, `${k}: share ${ours.fatal_share} vs ${p}`);
    assert.ok(Math.abs(ours.fatal_share_low - Math.max(0, centre - half)) < 1e-9, `${k}: low`);
    assert.ok(Math.abs(ours.fatal_share_high - Math.min(1, centre + half)) < 1e-9, `${k}: high`);
    assert.ok(ours.fatal_share_low <= p && p <= ours.fatal_share_high);
  }
});

compare('/stats as CSV equals the JSON groups', async () => {
  const res = await server.request('/api/stats?group_by=Schedule&metrics=count,fatal&format=csv');
  const theirs = await sql(`SELECT coalesce("Schedule", '') || ',' || count(*) || ','
      || CAST(CAST(coalesce(sum("Total.Fatal.Injuries"), 0) AS BIGINT) AS VARCHAR) AS line
      FROM avc GROUP BY "Schedule" ORDER BY "Schedule" NULLS LAST`);
  assert.deepEqual(res.text.split('\r\n').filter(Boolean), ['Schedule,count,fatal', ...theirs.map((r) => r.line)]);
});
