"""Runs the data dictionary query with TSC's paginated_query.

Usage: python dictionary_tsc.py URL PAT_NAME PAT_SECRET QUERY
QUERY declares $first and $after; this script renames $after to TSC's
$afterToken. Prints "SECONDS PAGES DATASOURCES" (time of the paged query only).
"""
import re
import sys
import time

import tableauserverclient as TSC

url, pat_name, pat_secret, query = sys.argv[1:5]
query = re.sub(r"\$after\b", "$afterToken", query)

server = TSC.Server(url, use_server_version=True)
with server.auth.sign_in(TSC.PersonalAccessTokenAuth(pat_name, pat_secret, site_id="")):
    start = time.perf_counter()
    res = server.metadata.paginated_query(query, {"first": 100, "afterToken": None}, abort_on_error=True)
    secs = time.perf_counter() - start
    pages = res["pages"]
    n = sum(len(p["data"]["publishedDatasourcesConnection"]["nodes"]) for p in pages)
    print(f"{secs:.3f} {len(pages)} {n}")
