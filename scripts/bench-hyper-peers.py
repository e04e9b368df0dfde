#!/usr/bin/env python3
"""Python peers for the hyper benchmark (scripts/bench-hyper.sh runs this).

One case per run, so each reports its own peak memory:
  bench-hyper-peers.py CASE ROWS DIR
CASE is one of:
  hyperapi-insert-measurements  hyperapi-insert-wide
  pantab-insert-measurements    pantab-insert-wide
  hyperapi-read-measurements    hyperapi-read-wide
  pantab-read-measurements      pantab-read-wide
Prints one line: CASE ROWS SECONDS ROWS_PER_S PEAK_RSS_MB
Insert timings cover the library call only (DataFrames are built before the
clock starts; tableauhyperapi rows are produced by a generator, as a user
feeding it would). Read timings cover fetching every row into Python values
(tableauhyperapi) or into a DataFrame (pantab).
"""
import datetime
import os
import resource
import sys
import tempfile
import time

import numpy as np
import pandas as pd
import pantab
import pyarrow as pa
from tableauhyperapi import (Connection, CreateMode, HyperProcess, Inserter, NOT_NULLABLE, NULLABLE, SqlType,
                             TableDefinition, TableName, Telemetry)

case, rows, workdir = sys.argv[1], int(sys.argv[2]), sys.argv[3]
path = os.path.join(workdir, case + ".hyper")
params = {"log_dir": tempfile.mkdtemp()}

MEAS = TableDefinition(TableName("measurements"), [
    TableDefinition.Column("id", SqlType.int(), NOT_NULLABLE),
    TableDefinition.Column("sensor_id", SqlType.int(), NULLABLE),
    TableDefinition.Column("value", SqlType.double(), NULLABLE),
    TableDefinition.Column("timestamp", SqlType.big_int(), NULLABLE),
])
WIDE = TableDefinition(TableName("wide"), [
    TableDefinition.Column("id", SqlType.big_int(), NOT_NULLABLE),
    TableDefinition.Column("name", SqlType.text(), NULLABLE),
    TableDefinition.Column("day", SqlType.date(), NULLABLE),
    TableDefinition.Column("at", SqlType.timestamp(), NULLABLE),
    TableDefinition.Column("amount", SqlType.double(), NULLABLE),
])
NAMES = ["customer-%03d" % i for i in range(64)]
BASE = datetime.datetime(2024, 1, 1)


def meas_rows(n):
    for i in range(n):
        yield [i, i % 1000, i * 0.5, 1_700_000_000 + i]


def wide_rows(n):
    for i in range(n):
        ts = BASE + datetime.timedelta(seconds=i)
        yield [i, None if i % 10 == 0 else NAMES[i % 64], ts.date(), ts, float(i)]


def meas_frame(n):
    i = np.arange(n, dtype=np.int64)
    return pd.DataFrame({
        "id": i.astype(np.int32), "sensor_id": (i % 1000).astype(np.int32),
        "value": i * 0.5, "timestamp": 1_700_000_000 + i,
    })


def wide_frame(n):
    i = np.arange(n, dtype=np.int64)
    names = pa.array([None if k % 10 == 0 else NAMES[k % 64] for k in range(n)], type=pa.large_string())
    at = (np.datetime64("2024-01-01T00:00:00", "us") + i.astype("timedelta64[s]")).astype("datetime64[us]")
    day = at.astype("datetime64[D]")
    return pd.DataFrame({
        "id": i,
        "name": pd.array(names, dtype=pd.ArrowDtype(pa.large_string())),
        "day": pd.array(pa.array(day, type=pa.date32()), dtype=pd.ArrowDtype(pa.date32())),
        "at": at,
        "amount": i.astype(np.float64),
    })


def create(table, n):
    """Fill a file with n rows by SQL, for the read cases."""
    with HyperProcess(Telemetry.DO_NOT_SEND_USAGE_DATA_TO_TABLEAU, parameters=params) as hp:
        with Connection(hp.endpoint, path, CreateMode.CREATE_AND_REPLACE) as conn:
            conn.catalog.create_table(table)
            if table is MEAS:
                conn.execute_command(
                    "INSERT INTO measurements SELECT i, i %% 1000, i * 0.5, 1700000000 + i FROM generate_series(0, %d) s(i)" % (n - 1))
            else:
                conn.execute_command(
                    "INSERT INTO wide SELECT i, CASE WHEN i %% 10 = 0 THEN NULL ELSE 'customer-' || lpad((i %% 64)::text, 3, '0') END,"
                    " (TIMESTAMP '2024-01-01' + i * INTERVAL '1 second')::date, TIMESTAMP '2024-01-01' + i * INTERVAL '1 second', i::double precision"
                    " FROM generate_series(0, %d) s(i)" % (n - 1))


kind, op, table_name = case.split("-")
table = MEAS if table_name == "measurements" else WIDE
got = rows

if op == "read":
    create(table, rows)

if kind == "hyperapi" and op == "insert":
    gen = meas_rows(rows) if table is MEAS else wide_rows(rows)
    with HyperProcess(Telemetry.DO_NOT_SEND_USAGE_DATA_TO_TABLEAU, parameters=params) as hp:
        with Connection(hp.endpoint, path, CreateMode.CREATE_AND_REPLACE) as conn:
            conn.catalog.create_table(table)
            start = time.perf_counter()
            with Inserter(conn, table) as ins:
                ins.add_rows(gen)
                ins.execute()
            elapsed = time.perf_counter() - start
elif kind == "pantab" and op == "insert":
    df = meas_frame(rows) if table is MEAS else wide_frame(rows)
    start = time.perf_counter()
    pantab.frame_to_hyper(df, path, table=table_name)
    elapsed = time.perf_counter() - start
elif kind == "hyperapi" and op == "read":
    with HyperProcess(Telemetry.DO_NOT_SEND_USAGE_DATA_TO_TABLEAU, parameters=params) as hp:
        with Connection(hp.endpoint, path) as conn:
            start = time.perf_counter()
            got = 0
            with conn.execute_query("SELECT * FROM %s" % table.table_name) as result:
                for _ in result:
                    got += 1
            elapsed = time.perf_counter() - start
elif kind == "pantab" and op == "read":
    start = time.perf_counter()
    df = pantab.frame_from_hyper(path, table=table_name)
    got = len(df)
    elapsed = time.perf_counter() - start
else:
    sys.exit("unknown case " + case)

if got != rows:
    sys.exit("%s: %d rows, want %d" % (case, got, rows))
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print("%s %d %.3f %.0f %.0f" % (case, rows, elapsed, rows / elapsed, peak))
