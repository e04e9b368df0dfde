"""The permission audit's reads done with tableauserverclient (TSC), the
Python peer, for the benchmark: every project (with its workbook and data
source default permissions), workbook, data source and view, and its
permissions, one request after the other as TSC does.

Usage: python tsc_audit.py URL PAT_NAME PAT_SECRET
Prints "items N rules M seconds S".
"""
import sys
import time

import tableauserverclient as TSC

url, pat_name, pat_secret = sys.argv[1:4]
server = TSC.Server(url, use_server_version=True)
start = time.perf_counter()
items = rules = 0
with server.auth.sign_in(TSC.PersonalAccessTokenAuth(pat_name, pat_secret, site_id="")):
    opts = TSC.RequestOptions(pagesize=1000)
    for p in TSC.Pager(server.projects, opts):
        server.projects.populate_permissions(p)
        server.projects.populate_workbook_default_permissions(p)
        server.projects.populate_datasource_default_permissions(p)
        items += 1
        rules += len(p.permissions)
    for w in TSC.Pager(server.workbooks, opts):
        server.workbooks.populate_permissions(w)
        items += 1
        rules += len(w.permissions)
    for d in TSC.Pager(server.datasources, opts):
        server.datasources.populate_permissions(d)
        items += 1
        rules += len(d.permissions)
    for v in TSC.Pager(server.views, opts):
        server.views.populate_permissions(v)
        items += 1
        rules += len(v.permissions)
print(f"items {items} rules {rules} seconds {time.perf_counter() - start:.2f}")
