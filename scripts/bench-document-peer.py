"""The peer side of scripts/bench-document.sh: open a workbook with
tableaudocumentapi, point every connection at production, save a copy."""
import sys

from tableaudocumentapi import Workbook


def main():
    src, dst = sys.argv[1], sys.argv[2]
    wb = Workbook(src)
    n = 0
    for ds in wb.datasources:
        for c in ds.connections:
            c.server = "prod-db.example.com"
            c.dbname = "sales"
            c.username = "svc_prod"
            n += 1
    wb.save_as(dst)
    print("%d connections repointed" % n)


if __name__ == "__main__":
    main()
