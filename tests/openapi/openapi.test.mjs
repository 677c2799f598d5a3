// Validates the OpenAPI document the server serves (GET /api/openapi.json) with an OpenAPI 3.1
// validator from npm, and checks it against the server: every route, parameter, format, operator
// and status the server has is documented, every documented example is accepted, and the answers
// match the documented schemas and headers.
//
//   node tests/openapi/openapi.test.mjs --accidents build/release/src/accidents
//
// The server runs on a synthetic datasheet written by `accidents demo-data` (no real data needed).
// Exit code 77 (skipped) when the npm packages are not installed (scripts/install-deps).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { parseArgs, Server, SKIP } from '../node_server.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const args = parseArgs();
const binary = args.accidents ?? path.join(here, '../../build/release/src/accidents');

let Validator;
let Ajv2020;
try {
  ({ Validator } = await import('@seriousme/openapi-schema-validator'));
  Ajv2020 = (await import('ajv/dist/2020.js')).default;
} catch (e) {
  console.log(`SKIP: the npm packages of tests/openapi are not installed (run scripts/install-deps): ${e.message}`);
  process.exit(SKIP);
}

const API = '/api';
const METHODS = ['get', 'head'];
let server;
let dir;
let doc; // the served document
let ajv;

before(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'openapi-test-'));
  const data = path.join(dir, 'AviationData.csv');
  execFileSync(binary, ['demo-data', '--rows', '3000', '--seed', '7', '--out', data], { stdio: 'ignore' });
  server = await Server.start(binary, data);
  const r = await server.json(`${API}/openapi.json`);
  assert.equal(r.status, 200);
  doc = r.json;
  // The component schemas as one JSON Schema 2020-12 resource, for checking answers against them.
  ajv = new Ajv2020({ strict: true, allowUnionTypes: true, allErrors: true });
  ajv.addFormat('int64', { type: 'number', validate: Number.isSafeInteger });
  ajv.addKeyword('example');
  ajv.addSchema({ $id: 'https://accidents.test/api', $defs: rewriteRefs(doc.components.schemas) });
});

after(async () => {
  await server?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

// --- helpers ---------------------------------------------------------------------------------

function rewriteRefs(value) {
  return JSON.parse(JSON.stringify(value).replaceAll('"#/components/schemas/', '"https://accidents.test/api#/$defs/'));
}

function resolve(node) {
  let n = node;
  while (n && n.$ref) {
    n = n.$ref.slice(2).split('/').reduce((o, k) => o[k.replaceAll('~1', '/').replaceAll('~0', '~')], doc);
    assert.ok(n, `unresolved ${node.$ref}`);
  }
  return n;
}

const validators = new Map();
function check(schema, value, what) {
  const key = JSON.stringify(schema);
  if (!validators.has(key)) validators.set(key, ajv.compile(rewriteRefs(schema)));
  const validate = validators.get(key);
  assert.ok(validate(value), `${what} does not match its schema: ${ajv.errorsText(validate.errors)}`);
}

// Serialises a parameter's value as the document says (style form; arrays comma-joined unless exploded).
function serialise(param, value) {
  const enc = encodeURIComponent;
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    return Object.entries(value).map(([k, v]) => `${enc(k)}=${enc(v)}`);
  }
  if (Array.isArray(value)) {
    return param.explode === false ? [`${enc(param.name)}=${value.map(enc).join(',')}`]
      : value.map((v) => `${enc(param.name)}=${enc(v)}`);
  }
  return [`${enc(param.name)}=${enc(String(value))}`];
}

function exampleValues(param) {
  if ('example' in param) return [param.example];
  if (param.examples) return Object.values(param.examples).map((e) => e.value);
  return [];
}

function operation(route, method = 'get') {
  const op = doc.paths[route]?.[method];
  assert.ok(op, `${method.toUpperCase()} ${route} is not documented`);
  return op;
}

function parameters(route, method = 'get') {
  const item = doc.paths[route];
  return [...(item.parameters ?? []), ...(operation(route, method).parameters ?? [])].map(resolve);
}

// The URL prefix of a documented path (the server URL, or the path's own).
function urlOf(route, query = []) {
  const base = (doc.paths[route].servers ?? doc.servers)[0].url.replace(/\/$/, '');
  return `${base}${route}${query.length ? `?${query.join('&')}` : ''}`;
}

// The query of the required parameters, from their examples (/query needs some condition: `year`).
function requiredQuery(route, method = 'get') {
  return parameters(route, method).filter((p) => p.required || (route === '/query' && p.name === 'year'))
    .flatMap((p) => serialise(p, exampleValues(p)[0]));
}

// Checks an answer against the operation's documented response: status, content type, body, headers.
function checkAnswer(route, method, res, what) {
  const op = operation(route, method);
  const documented = op.responses[String(res.status)];
  assert.ok(documented, `${what}: status ${res.status} is not documented for ${method.toUpperCase()} ${route} (${res.text})`);
  const response = resolve(documented);
  for (const [name, header] of Object.entries(response.headers ?? {})) {
    const value = res.headers[name.toLowerCase()];
    if (value === undefined) continue;
    const h = resolve(header);
    const parsed = h.schema.type === 'integer' ? Number(value) : value;
    check(h.schema, parsed, `${what}: header ${name}: ${value}`);
  }
  if (method === 'head' || res.status === 304) {
    assert.equal(res.body.length, 0, `${what}: a body`);
    return;
  }
  const type = (res.headers['content-type'] ?? '').split(';')[0].trim();
  const content = response.content?.[type];
  assert.ok(content, `${what}: content type ${type} is not documented for ${res.status}`);
  if (type === 'application/x-ndjson') {
    const items = resolve(operation(route, method).responses['200']).content['application/json'].schema.items;
    for (const line of res.text.split('\n').filter(Boolean)) check(items, JSON.parse(line), `${what}: NDJSON line`);
  } else if (type.endsWith('json')) {
    check(content.schema, JSON.parse(res.text), `${what}: body`);
  }
}

async function get(route, query = [], options = {}) {
  const method = (options.method ?? 'GET').toLowerCase();
  let res = await server.request(urlOf(route, query), options);
  // The search index is built after the load, beside the first answers: a search that comes
  // before it is 503 with Retry-After, and a client comes back, as this one does (up to 60 s).
  for (let i = 0; i < 600 && res.status === 503 && res.headers['retry-after']; i++) {
    if (METHODS.includes(method)) checkAnswer(route, method, res, `${method.toUpperCase()} ${urlOf(route, query)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
    res = await server.request(urlOf(route, query), options);
  }
  if (METHODS.includes(method)) checkAnswer(route, method, res, `${method.toUpperCase()} ${urlOf(route, query)}`);
  return res;
}

// A list from an error message: `a, b, c and d` or `a, b, c or d`.
function listIn(text) {
  return text.split(/, | and | or /).map((s) => s.trim()).filter(Boolean);
}

// --- the document itself -----------------------------------------------------------------------

test('the served document is valid OpenAPI 3.1 (@seriousme/openapi-schema-validator)', async () => {
  const validator = new Validator();
  const result = await validator.validate(structuredClone(doc));
  assert.equal(result.valid, true, JSON.stringify(result.errors, null, 2));
  assert.equal(validator.version, '3.1');
});

test('the validator rejects a broken document (the check is not vacuous)', async () => {
  const broken = structuredClone(doc);
  broken.paths['/query'].parameters.push({ name: 'x', in: 'body' });
  delete broken.paths['/years'].get.responses;
  const result = await new Validator().validate(broken);
  assert.equal(result.valid, false);
});

test('the server URL is the API root; docs/openapi.json holds the placeholder and compiles in', () => {
  assert.deepEqual(doc.servers.map((s) => s.url), [API]);
  assert.deepEqual(doc.paths['/healthz'].servers.map((s) => s.url), ['/']);
  const file = readFileSync(path.join(here, '../../docs/openapi.json'), 'utf8');
  assert.ok(file.includes('"{API_ROOT}"'));
  assert.ok(!file.includes(')OPENAPI"'), 'the file would end the raw string literal it is compiled into');
  assert.ok(Buffer.byteLength(file) < 65536,
    'over 65535 bytes: clang -Wpedantic -Werror rejects a string literal that long (-Woverlength-strings)');
  assert.deepEqual(JSON.parse(file.replaceAll('{API_ROOT}', API)), doc);
});

test('every $ref resolves', () => {
  const walk = (node, where) => {
    if (Array.isArray(node)) node.forEach((n, i) => walk(n, `${where}/${i}`));
    else if (node && typeof node === 'object') {
      if (typeof node.$ref === 'string') resolve(node);
      for (const [k, v] of Object.entries(node)) walk(v, `${where}/${k}`);
    }
  };
  walk(doc, '#');
});

test('every operation has a unique operationId, a summary and the documented errors', () => {
  const ids = new Set();
  for (const [route, item] of Object.entries(doc.paths)) {
    for (const method of METHODS) {
      const op = operation(route, method);
      assert.ok(!ids.has(op.operationId), op.operationId);
      ids.add(op.operationId);
      assert.ok(op.summary, `${route} ${method}`);
      for (const status of ['200', '400', '404', '405', '431']) assert.ok(op.responses[status], `${route} ${method} ${status}`);
    }
    assert.deepEqual(Object.keys(item).filter((k) => !['servers', 'parameters', 'summary', 'description'].includes(k)),
      METHODS, `${route}: only GET and HEAD are served`);
  }
});

// --- the document against the server ---------------------------------------------------------

test('the routes the server names are exactly the documented paths', async () => {
  const r = await server.json(`${API}/nothing`);
  assert.equal(r.status, 404);
  const offered = /the API offers (.*)$/.exec(r.json.message)[1];
  const routes = listIn(offered).sort();
  const documented = Object.keys(doc.paths).map((p) => urlOf(p)).sort();
  assert.deepEqual(documented, routes);
});

test('every documented operation answers a request built from the documented examples', async () => {
  for (const route of Object.keys(doc.paths)) {
    for (const method of METHODS) {
      const res = await get(route, requiredQuery(route, method), { method: method.toUpperCase() });
      assert.equal(res.status, 200, `${method} ${route}: ${res.text}`);
    }
  }
});

test('every documented parameter example is accepted (non-4xx) and answered as documented', async () => {
  let n = 0;
  for (const route of Object.keys(doc.paths)) {
    for (const param of parameters(route)) {
      for (const value of exampleValues(param)) {
        const base = requiredQuery(route).filter((q) => !q.startsWith(`${param.name}=`));
        const query = [...base, ...serialise(param, value)];
        const res = await get(route, query);
        assert.equal(res.status, 200, `${route}?${query.join('&')}: ${res.text}`);
        n += 1;
      }
    }
  }
  assert.ok(n >= 20, `only ${n} examples`);
});

test('every documented 400 example message is one the server gives', async () => {
  const examples = resolve({ $ref: '#/components/responses/BadRequest' }).content['application/json'].examples;
  const requests = {
    missingYear: `${API}/query`,
    badYear: `${API}/query?year=abc`,
    unknownColumn: `${API}/query?Mak=1`,
    badOperator: `${API}/query?Make__gt=1`,
    badNumber: `${API}/query?Total.Fatal.Injuries__gt=many`,
    repeated: `${API}/query?year=1982&year=1983`,
    badTarget: `${API}/query?year=%zz`,
    rawOnNumber: `${API}/query?Total.Fatal.Injuries:raw=1`,
    noParameters: `${API}/years?x=1`,
    badSearch: `${API}/query?search=fuel+OR+OR+oil`,
  };
  assert.deepEqual(Object.keys(examples).sort(), Object.keys(requests).sort());
  for (const [name, url] of Object.entries(requests)) {
    const r = await server.json(url);
    assert.equal(r.status, 400, url);
    const want = examples[name].value.message;
    if (want.includes('...')) {
      // abbreviated in the document: the parts around the ellipsis must appear in order
      const parts = want.split('...').map((s) => s.trim()).filter(Boolean);
      let at = 0;
      for (const part of parts) {
        const i = r.json.message.indexOf(part, at);
        assert.ok(i >= 0, `${url}: '${part}' not in '${r.json.message}'`);
        at = i + part.length;
      }
    } else {
      assert.equal(r.json.message, want, url);
    }
  }
});

for (const route of ['/query', '/stats']) {
  test(`the named parameters of ${route} are those the server accepts`, async () => {
    const r = await server.json(`${API}${route}?group_by=year&no_such_column=1`);
    assert.equal(r.status, 400);
    const accepted = /accepts (.*?) and filters on the columns/.exec(r.json.message)[1];
    const documented = parameters(route).map((p) => p.name).filter((n) => n !== 'filters');
    assert.deepEqual([...documented].sort(), [...listIn(accepted), ...(route === '/stats' ? ['group_by'] : [])]
      .filter((v, i, a) => a.indexOf(v) === i).sort());
    assert.ok(parameters(route).some((p) => p.name === 'filters' && p.style === 'form' && p.explode));
  });
}

test('the formats and metrics are those the server accepts', async () => {
  const enumOf = (route, name) => parameters(route).find((p) => p.name === name).schema;
  let r = await server.json(`${API}/query?format=x`);
  assert.deepEqual(enumOf('/query', 'format').enum, listIn(/must be (.*), got/.exec(r.json.message)[1]));
  r = await server.json(`${API}/stats?group_by=year&format=x`);
  assert.deepEqual(enumOf('/stats', 'format').enum, listIn(/must be (.*), got/.exec(r.json.message)[1]));
  r = await server.json(`${API}/stats?group_by=year&metrics=x`);
  assert.deepEqual(enumOf('/stats', 'metrics').items.enum, listIn(/the metrics are (.*)$/.exec(r.json.message)[1]));
});

test('the operators of each column type are those the server accepts', async () => {
  const filters = parameters('/query').find((p) => p.name === 'filters');
  const schema = resolve(filters.schema);
  const opsInPattern = /__\(\?:(.*)\)\)\?\$$/.exec(schema.propertyNames.pattern)[1].split('|');
  const table = [...filters.description.matchAll(/^\| `([^`]+)` \| (\w+) \| ([a-z, ]+) \|$/gm)];
  assert.ok(table.length >= 31, 'the column table of the filters parameter');
  const seen = new Set();
  for (const [, column, type, ops] of table) {
    const r = await server.json(`${API}/query?${encodeURIComponent(column)}__bogus=1`);
    assert.equal(r.status, 400, column);
    const m = /is a (\w+) column; its operators are (.*)$/.exec(r.json.message);
    assert.ok(m, r.json.message);
    assert.equal(m[1], type, `${column}: type`);
    const served = listIn(m[2]).map((o) => (o === '(none: equals)' ? 'eq' : o));
    assert.deepEqual(ops.split(', '), served, `${column}: operators`);
    served.forEach((o) => seen.add(o));
  }
  assert.deepEqual([...seen].sort(), [...opsInPattern].sort());
});

// --- answers against the documented schemas ----------------------------------------------------

test('/query in every format, chosen by format= and by Accept, matches its documented content', async () => {
  const formats = { json: 'application/json', ndjson: 'application/x-ndjson', csv: 'text/csv',
    geojson: 'application/geo+json' };
  assert.deepEqual(Object.values(formats).sort(), Object.keys(resolve(operation('/query').responses['200']).content).sort());
  for (const [format, type] of Object.entries(formats)) {
    for (const options of [{ query: [`format=${format}`] }, { query: [], headers: { Accept: type } }]) {
      const res = await get('/query', ['year=2008', 'limit=50', ...options.query], { headers: options.headers });
      assert.equal(res.status, 200);
      assert.equal(res.headers['content-type'].split(';')[0], type);
    }
  }
  const geo = JSON.parse((await get('/query', ['year=2008', 'format=geojson'])).text);
  const all = Number((await get('/query', ['year=2008'])).headers['x-total-count']);
  assert.equal(geo.features.length + geo.without_coordinates, all);
});

test('a projection, a sort and each filter operator answer records of the documented shape', async () => {
  const queries = [
    ['fields=Event.Id,Event.Date,Latitude,Year', 'sort=-Event.Date', 'has_coords=true', 'limit=20'],
    ['Make__in=Cessna,Piper', 'Total.Fatal.Injuries__gte=1', 'from=2000-01-01', 'to=12/31/2010'],
    ['fields=Make,Make:canonical,Injury.Severity:canonical,Year', 'Make:raw__in=CESSNA,Cessna', 'year=2008'],
    ['Location__contains=ak', 'Event.Id__startswith=2', 'Weather.Condition__not=IMC', 'limit=5'],
    ['Latitude__isnull=true', 'Longitude__notnull=false', 'year=2001'],
    ['bbox=-125,24,-66,50', 'q=cessna', 'Number.of.Engines__lt=2', 'Event.Date__lte=2010-01-01'],
    ['Broad.Phase.of.Flight__notin=Cruise,Landing', 'Total.Uninjured__gt=0', 'Total.Serious.Injuries__eq=0'],
  ];
  for (const q of queries) {
    const res = await get('/query', q);
    assert.equal(res.status, 200, `${q.join('&')}: ${res.text}`);
  }
});

test('headers: ETag, Cache-Control, Vary, Content-Encoding, X-Total-Count and Link as documented', async () => {
  const first = await get('/query', ['year=2008', 'limit=10'], { headers: { 'Accept-Encoding': 'gzip' } });
  assert.equal(first.status, 200);
  for (const h of ['etag', 'cache-control', 'vary', 'content-encoding', 'x-total-count', 'link']) {
    assert.ok(first.headers[h], `missing ${h}`);
  }
  const next = /^<([^>]+)>; rel="next"$/.exec(first.headers.link)[1];
  const second = await server.request(next);
  checkAnswer('/query', 'get', second, next);
  assert.equal(second.status, 200);
  const notModified = await get('/query', ['year=2008', 'limit=10'],
    { headers: { 'Accept-Encoding': 'gzip', 'If-None-Match': first.headers.etag } });
  assert.equal(notModified.status, 304);
  const health = await get('/healthz');
  assert.equal(health.headers['cache-control'], 'no-store');
});

test('/stats answers (one key, two keys, month, a date column, csv, sort and top) match StatsRow', async () => {
  for (const q of [
    ['group_by=year', 'metrics=count,fatal,serious,minor,uninjured,events'],
    ['group_by=Broad.Phase.of.Flight,Weather.Condition', 'metrics=count,fatal', 'sort=-fatal', 'top=5'],
    ['group_by=month', 'Make=Cessna', 'from=2005-01-01'],
    ['group_by=Event.Date:year', 'format=csv'],
    ['group_by=Event.Date', 'top=3'],
    ['group_by=Number.of.Engines', 'metrics=events', 'bbox=-180,-90,180,90'],
    ['group_by=Make,Make:raw', 'metrics=count,fatal_events,fatal_share,deaths_per_event,share', 'sort=-fatal_share_low'],
    ['metrics=count,fatal_share,share', 'Make=cessna'],
    ['metrics=fatal_share,deaths_per_event', 'Make=no%20such%20make'],
    ['group_by=Injury.Severity', 'metrics=fatal_share', 'format=csv'],
  ]) {
    const res = await get('/stats', q);
    assert.equal(res.status, 200, `${q.join('&')}: ${res.text}`);
  }
});

test('/schema and /healthz match Schema and Health', async () => {
  assert.equal((await get('/schema')).status, 200);
  assert.equal((await get('/schema', ['columns=Make,Location', 'values=3'])).status, 200);
  assert.equal((await get('/healthz')).status, 200);
});

test('errors 400, 404, 405 and 431 are JSON {"message"} as documented', async () => {
  for (const route of Object.keys(doc.paths)) {
    for (const method of ['POST', 'DELETE']) {
      const res = await server.request(urlOf(route), { method, headers: { 'Content-Length': '0' } });
      assert.equal(res.status, 405, `${method} ${route}`);
      assert.equal(res.headers.allow, 'GET, HEAD, OPTIONS');
      checkAnswer(route, 'get', res, `${method} ${route}`);
    }
    const big = await server.request(urlOf(route), { headers: { 'X-Big': 'a'.repeat(17 * 1024) } });
    assert.equal(big.status, 431, route);
    checkAnswer(route, 'get', big, `big headers on ${route}`);
    const notFound = await server.request(`${urlOf(route)}/`);
    assert.equal(notFound.status, 404, route);
    checkAnswer(route, 'get', notFound, `${route}/`);
  }
  for (const url of [['/query', ['year=abc']], ['/stats', ['group_by=nothing']], ['/schema', ['x=1']],
    ['/query', ['Make__gt=1']], ['/query', ['limit=0', 'year=2008']], ['/query', ['cursor=zz', 'year=2008']]]) {
    const res = await get(...url);
    assert.equal(res.status, 400, url.join('?'));
  }
});
