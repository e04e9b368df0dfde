"""Write "Extract"."Extract" with one column of every Hyper type using
tableauhyperapi's Inserter (GEOGRAPHY through a CAST mapping), then print
the canonical text of every inserted row as JSON.

usage: interop_write.py FILE
"""
import datetime
import json
import sys
import tempfile
from decimal import Decimal

from tableauhyperapi import (Connection, CreateMode, Date, HyperProcess, Inserter, Interval, NOT_NULLABLE,
                             NULLABLE, SqlType, TableDefinition, TableName, Telemetry, Timestamp)

from interop_common import canon

path = sys.argv[1]
cols = [
    TableDefinition.Column("id", SqlType.int(), NOT_NULLABLE),
    TableDefinition.Column("b", SqlType.bool(), NULLABLE),
    TableDefinition.Column("i16", SqlType.small_int(), NULLABLE),
    TableDefinition.Column("i32", SqlType.int(), NULLABLE),
    TableDefinition.Column("i64", SqlType.big_int(), NULLABLE),
    TableDefinition.Column("f32", SqlType.float(), NULLABLE),
    TableDefinition.Column("f64", SqlType.double(), NULLABLE),
    TableDefinition.Column("n18", SqlType.numeric(18, 4), NULLABLE),
    TableDefinition.Column("n38", SqlType.numeric(38, 10), NULLABLE),
    TableDefinition.Column("txt", SqlType.text(), NULLABLE),
    TableDefinition.Column("vc", SqlType.varchar(10), NULLABLE),
    TableDefinition.Column("ch", SqlType.char(3), NULLABLE),
    TableDefinition.Column("by", SqlType.bytes(), NULLABLE),
    TableDefinition.Column("d", SqlType.date(), NULLABLE),
    TableDefinition.Column("t", SqlType.time(), NULLABLE),
    TableDefinition.Column("ts", SqlType.timestamp(), NULLABLE),
    TableDefinition.Column("tstz", SqlType.timestamp_tz(), NULLABLE),
    TableDefinition.Column("iv", SqlType.interval(), NULLABLE),
    TableDefinition.Column("js", SqlType.json(), NULLABLE),
    TableDefinition.Column("o", SqlType.oid(), NULLABLE),
    TableDefinition.Column("g", SqlType.geography(), NULLABLE),
]
table = TableDefinition(TableName("Extract", "Extract"), cols)
rows = [
    [1, True, -7, 123456, -9000000000000, 1.5, 3.141592653589793, Decimal("-12345.6789"),
     Decimal("-123456789012345678.9012345678"), "h\u00e9llo w\u00f6rld", "vc", "abc", b"\x00\x01\xff",
     Date(1999, 12, 31), datetime.time(23, 59, 58, 999999), Timestamp(2024, 2, 29, 13, 14, 15, 123456),
     Timestamp(1969, 7, 20, 20, 17, 40, 0), Interval(14, -3, 5000001), '{"a": [1, 2]}', 4000000000,
     "POINT(2.35 48.86)"],
    [2] + [None] * (len(cols) - 1),
]
params = {"default_database_version": "4", "log_dir": tempfile.mkdtemp()}
with HyperProcess(Telemetry.DO_NOT_SEND_USAGE_DATA_TO_TABLEAU, parameters=params) as hp:
    with Connection(hp.endpoint, path, CreateMode.CREATE_AND_REPLACE) as conn:
        conn.catalog.create_schema("Extract")
        conn.catalog.create_table(table)
        staged = cols[:-1] + [TableDefinition.Column("g_wkt", SqlType.text(), NULLABLE)]
        mapping = [c.name.unescaped for c in cols[:-1]] + [Inserter.ColumnMapping("g", 'CAST("g_wkt" AS GEOGRAPHY)')]
        with Inserter(conn, table, mapping, inserter_definition=staged) as ins:
            ins.add_rows(rows)
            ins.execute()
        # Canonical text of what was stored, read back by tableauhyperapi.
        out = []
        with conn.execute_query('SELECT * FROM "Extract"."Extract" ORDER BY 1') as result:
            for row in result:
                out.append([canon(v, c.type) for v, c in zip(row, cols)])
json.dump({"rows": out}, sys.stdout)
