"""Canonical values on the real datasheets against an independent computation in pandas.

The rules of docs/canonical-values.md and the reviewed tables of src/data/canonical/ are implemented
here again, from that document, with pandas and regular expressions, and the groups of
/api/stats?group_by=C (canonical values by default) must equal the groups they give, for every
column with canonical values, on the 2019 release; the top make must be one Cessna group and the
Injury.Severity groups must be levels. On the head of the current release (MONISH254), the phases of
flight and the weather fold likewise. Skipped without ../shared/data or pandas."""

import io
import os
import re
import sys
import urllib.parse

sys.path.insert(0, os.path.dirname(__file__))
from server_process import SKIP, Server, decode_datasheet, pandas_test_setup  # noqa: E402

FILE_2019 = 'AviationData.full-2019.ha-tran.csv'
FILE_CURRENT = 'AviationData.MONISH254.truncated-head.csv'
LEVELS = {'Fatal', 'Serious', 'Minor', 'Non-Fatal', 'Incident', 'Unavailable'}

# docs/canonical-values.md, "The columns and their rules"
RULES = {
    'make': 'make', 'model': 'model', 'injuryseverity': 'severity',
    'investigationtype': 'words', 'aircraftdamage': 'words', 'aircraftcategory': 'words',
    'amateurbuilt': 'words', 'enginetype': 'words', 'fardescription': 'words', 'schedule': 'words',
    'purposeofflight': 'words', 'weathercondition': 'words', 'broadphaseofflight': 'words',
    'country': 'words',
}
SUFFIXES = set('INC INCORPORATED CO COMPANY CORP CORPORATION LTD LIMITED LLC LC LP LLP PLC GMBH AG KG SA AS '
               'SRO SPOL PTY NV BV AB OY SPA SRL SAS MFG MANUFACTURING AIRCRAFT AIRCRAFTS ACFT AIRPLANE '
               'AIRPLANES INDUSTRIES INDUSTRIE IND FLUGZEUGBAU'.split())
ABBREVIATIONS = {'AVN': 'AVIATION', 'HELI': 'HELICOPTER', 'HELICOPTERS': 'HELICOPTER', 'INTL': 'INTERNATIONAL',
                 'BROS': 'BROTHERS'}


def column_key(name):
    return re.sub(r'[._\- ]', '', name).lower()


def ascii_upper(s):
    return re.sub(r'[a-z]', lambda m: m.group(0).upper(), s)


def words_key(raw):
    return ascii_upper(re.sub(r'[\x00-\x7f]', lambda m: m.group(0) if m.group(0).isalnum() else '', raw))


def severity_key(raw):
    key = words_key(raw)
    return 'FATAL' if re.fullmatch(r'FATAL[0-9]+', key) else key


def model_key(raw):
    return ascii_upper(raw.replace(' ', '').replace('-', ''))


def make_key(raw):
    s = raw
    while True:  # innermost remarks first, then an unclosed one
        t = re.sub(r'\([^()]*\)', ' ', s)
        if t == s:
            break
        s = t
    s = re.sub(r'\(.*', ' ', s)
    s = s.replace('.', '').replace("'", '').replace('&', ' AND ')
    words = [ABBREVIATIONS.get(w, w) for w in re.split(r'[\x00-\x2f\x3a-\x40\x5b-\x60\x7b-\x7f]+', ascii_upper(s)) if w]
    while len(words) > 1 and words[-1] in SUFFIXES:
        words.pop()
    if len(words) > 1 and words[0] == 'THE':
        words.pop(0)
    return ''.join(words)


FOLDS = {'words': words_key, 'severity': severity_key, 'model': model_key, 'make': make_key}


def key_of(rule, raw):
    key = FOLDS[rule](raw)
    return 'UNKNOWN' if key in ('UNK', 'UNKN') else key


def read_tables(repo):
    """{column key: ({key: reviewed value}, {key: alias target key})} from the two TSV files."""
    tables = {k: ({'UNKNOWN': 'Unknown'}, {}) for k in RULES}

    def rows(name, fields):
        with open(os.path.join(repo, 'src/data/canonical', name), encoding='utf-8') as f:
            for line in f:
                line = line.rstrip('\r\n')
                if line and not line.startswith('#'):
                    parts = line.split('\t')
                    assert len(parts) == fields, (name, line)
                    yield parts

    for make, spelling, _ in rows('makes.tsv', 3):
        names, aliases = tables['make']
        target = key_of('make', make)
        names[target] = make
        if spelling:
            aliases[key_of('make', spelling)] = target
    for column, value, _label, spellings, _ in rows('vocabularies.tsv', 5):
        ck = column_key(column)
        names, aliases = tables[ck]
        target = key_of(RULES[ck], value)
        names[target] = value
        for s in filter(None, (x.strip() for x in spellings.split(','))):
            aliases[key_of(RULES[ck], s)] = target
    return tables


def expected_groups(series, rule, table):
    """{canonical value: rows} of a column, None for the empty cells."""
    names, aliases = table
    counts = series.value_counts(dropna=False)
    by_key = {}
    nulls = 0
    for raw, n in counts.items():
        if not isinstance(raw, str):
            nulls += int(n)
            continue
        key = key_of(rule, raw)
        key = aliases.get(key, key)
        by_key.setdefault(key, []).append((raw, int(n)))
    groups = {}
    for key, spellings in by_key.items():
        if key in names:
            value = names[key]
        else:
            # the most frequent spelling, ties: the smaller in byte order; trimmed of spaces and tabs
            value = min(spellings, key=lambda s: (-s[1], s[0].encode('utf-8')))[0].strip(' \t')
        groups[value] = groups.get(value, 0) + sum(n for _, n in spellings)
    if nulls:
        groups[None] = nulls
    return groups


def load(path):
    import pandas as pd
    with open(path, 'rb') as f:
        text = decode_datasheet(f.read())
    # as the server: every column as text, pandas 1.5's NA markers empty
    return pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=True)


def served_groups(server, column):
    status, body = server.get_json('/api/stats?' + urllib.parse.urlencode({'group_by': column}))
    assert status == 200, body
    return {row[column]: row['count'] for row in body}


def compare_all(server, df, tables, label):
    failures = 0
    compared = 0
    for column in df.columns:
        ck = column_key(column)
        if ck not in RULES:
            continue
        expected = expected_groups(df[column], RULES[ck], tables[ck])
        actual = served_groups(server, column)
        compared += 1
        if actual != expected:
            failures += 1
            only_ours = sorted(((k, v) for k, v in actual.items() if expected.get(k) != v), key=lambda kv: -kv[1])[:5]
            only_theirs = sorted(((k, v) for k, v in expected.items() if actual.get(k) != v), key=lambda kv: -kv[1])[:5]
            print(f'FAIL {label} {column}: {len(actual)} groups, pandas {len(expected)}; '
                  f'ours {only_ours}; pandas {only_theirs}')
        else:
            raw = df[column].nunique()
            print(f'ok {label} {column}: {raw} raw spellings, {len(expected) - (None in expected)} canonical values')
    return compared, failures


def main():
    setup = pandas_test_setup(
        FILE_2019, lambda ap: ap.add_argument('--repo', default=os.path.join(os.path.dirname(__file__), '..', '..')))
    if setup is None:
        return SKIP
    args, path = setup
    tables = read_tables(args.repo)
    failures = 0
    passed = 0

    df = load(path)
    server = Server(args.accidents, path, extra=['--no-access-log'])
    try:
        compared, failed = compare_all(server, df, tables, '2019')
        failures += failed
        passed += compared - failed
        assert compared == len(RULES), f'{compared} columns with canonical values, {len(RULES)} expected'

        status, top = server.get_json('/api/stats?group_by=Make&sort=-count&top=3')
        cessna = int(sum(n for raw, n in df['Make'].value_counts().items() if make_key(raw) == 'CESSNA'))
        if status != 200 or top[0] != {'Make': 'Cessna', 'count': cessna}:
            failures += 1
            print(f'FAIL the top make is not one Cessna group of {cessna} rows: {top}')
        else:
            passed += 1
            print(f'ok top makes: {top}')

        levels = set(served_groups(server, 'Injury.Severity')) - {None}
        if not levels <= LEVELS:
            failures += 1
            print(f'FAIL Injury.Severity groups that are not levels: {sorted(levels - LEVELS)}')
        else:
            passed += 1

        # /api/schema lists every raw spelling once, under the value it folds to, with its rows
        status, schema = server.get_json('/api/schema?' + urllib.parse.urlencode({'columns': 'Make,Model'}))
        for col in schema['columns']:
            listed = [(s['value'], s['count']) for v in col['canonical']['values'] for s in v['spellings']]
            raw = {k: int(v) for k, v in df[col['name']].value_counts().items()}
            sums_ok = all(v['count'] == sum(s['count'] for s in v['spellings']) for v in col['canonical']['values'])
            if sorted(listed) != sorted(raw.items()) or not sums_ok:
                failures += 1
                print(f'FAIL /api/schema {col["name"]}: {len(listed)} spellings listed, {len(raw)} in the file')
            else:
                passed += 1
    finally:
        server.stop()

    current = os.path.join(args.shared_data, FILE_CURRENT)
    if os.path.exists(current):
        df = load(current)
        server = Server(args.accidents, current, extra=['--no-access-log'])
        try:
            # the head is cut inside its last record, which pandas pads with nulls and the server skips
            _, health = server.get_json('/healthz')
            if len(df) == health['rows'] + 1:
                df = df.iloc[:-1]
            compared, failed = compare_all(server, df, tables, 'current release')
            failures += failed
            passed += compared - failed
            phases = set(served_groups(server, 'Broad.phase.of.flight')) - {None}
            if 'Landing' not in phases or any(p.isupper() for p in phases):
                failures += 1
                print(f'FAIL the current release\'s phases: {sorted(phases)}')
            else:
                passed += 1
        finally:
            server.stop()
    print(f'{passed} passed, {failures} failed')
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
