"""Read a table of a .hyper file with tableauhyperapi and print it as JSON:
{"columns": [[name, type, nullable]...], "rows": [[canonical text...]...]}.

usage: interop_read.py FILE SCHEMA TABLE
"""
import datetime
import json
import sys
import tempfile

from tableauhyperapi import Connection, HyperProcess, Nullability, TableName, Telemetry

from interop_common import canon

path, schema, table = sys.argv[1:4]
with HyperProcess(Telemetry.DO_NOT_SEND_USAGE_DATA_TO_TABLEAU, parameters={"log_dir": tempfile.mkdtemp()}) as hp:
    with Connection(hp.endpoint, path) as conn:
        name = TableName(schema, table)
        tdef = conn.catalog.get_table_definition(name)
        cols = [[c.name.unescaped, str(c.type), c.nullability == Nullability.NULLABLE] for c in tdef.columns]
        rows = []
        with conn.execute_query("SELECT * FROM %s ORDER BY 1" % name) as result:
            for row in result:
                rows.append([canon(v, c.type) for v, c in zip(row, tdef.columns)])
json.dump({"columns": cols, "rows": rows}, sys.stdout)
