"""For every year of the 2019 datasheet, /api/query?year=Y equals what the original handler answered:
pandas 1.5 `read_csv`, `to_datetime(Event.Date)`, `Year`, `df[df.Year == year].to_json(orient="records")`,
compared as parsed JSON. /api/years holds the same years, newest first."""

import io
import json
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
from server_process import SKIP, Server, decode_datasheet, pandas_test_setup  # noqa: E402

FILE = 'AviationData.full-2019.ha-tran.csv'


def main():
    setup = pandas_test_setup(FILE)
    if setup is None:
        return SKIP
    args, path = setup
    import pandas as pd

    with open(path, 'rb') as f:
        text = decode_datasheet(f.read())
    df = pd.read_csv(io.StringIO(text), low_memory=False)
    df['Event.Date'] = pd.to_datetime(df['Event.Date'])
    df['Year'] = df['Event.Date'].dt.year
    years = [int(y) for y in df['Year'].drop_duplicates()]

    server = Server(args.accidents, path, extra=['--no-access-log'])
    failures = 0
    try:
        status, served_years = server.get_json('/api/years')
        if status != 200 or served_years != sorted(years, reverse=True):
            print(f'FAIL /api/years: {status} {served_years[:5]}... expected {sorted(years, reverse=True)[:5]}...')
            failures += 1
        conn = server.connection()
        rows = 0
        for year in sorted(set(years)):
            expected = json.loads(df[df.Year == year].to_json(orient='records'))
            status, hdrs, body = server.get(f'/api/query?year={year}', conn=conn)
            actual = json.loads(body)
            rows += len(actual)
            if status != 200 or actual != expected:
                failures += 1
                print(f'FAIL year {year}: status {status}, {len(actual)} rows, pandas {len(expected)}')
                for a, e in zip(actual, expected):
                    if a != e:
                        diff = {k: (a.get(k), e.get(k)) for k in set(a) | set(e) if a.get(k) != e.get(k)}
                        print(f'  first differing record: {diff}')
                        break
        for year in (1950, 2030):
            status, body = server.get_json(f'/api/query?year={year}')
            if status != 200 or body != []:
                failures += 1
                print(f'FAIL year {year} without events: {status} {body!r}')
        print(f'compared {len(set(years))} years, {rows} records with pandas {pd.__version__}')
    finally:
        server.stop()
    print(f'{len(set(years)) + 3 - failures} passed, {failures} failed')
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
