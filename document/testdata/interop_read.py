"""Reads a workbook or datasource with tableaudocumentapi and prints what it
sees as JSON, so the Go interop test can check changes made by the Go
package are visible to the Python Document API."""
import json
import sys

from tableaudocumentapi import Datasource, Workbook


def describe_datasource(ds):
    fields = {}
    for key, f in ds.fields.items():
        fields[key] = {
            "caption": f.caption,
            "calculation": f.calculation,
            "datatype": f.datatype,
            "hidden": f.hidden,
        }
    return {
        "name": ds.name,
        "caption": ds.caption,
        "connections": [
            {
                "server": c.server,
                "dbname": c.dbname,
                "port": c.port,
                "username": c.username,
                "class": c.dbclass,
                "schema": c.schema,
                "initial_sql": c.initial_sql,
                "query_band": c.query_band,
            }
            for c in ds.connections
        ],
        "fields": fields,
    }


def main():
    kind, path = sys.argv[1], sys.argv[2]
    if kind == "workbook":
        wb = Workbook(path)
        out = {
            "worksheets": wb.worksheets,
            "dashboards": wb.dashboards,
            "datasources": [describe_datasource(ds) for ds in wb.datasources],
        }
    else:
        out = {"datasources": [describe_datasource(Datasource.from_file(path))]}
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
