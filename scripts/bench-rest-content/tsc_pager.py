"""Lists every workbook with tableauserverclient's Pager (pages of 100) and
prints "items wall_s cpu_s" (CPU: this process, user + system).

Usage: python tsc_pager.py URL PAT_NAME PAT_SECRET
"""
import resource
import sys
import time

import tableauserverclient as TSC

url, name, secret = sys.argv[1:4]
server = TSC.Server(url, use_server_version=False)
server.version = "3.24"
with server.auth.sign_in(TSC.PersonalAccessTokenAuth(name, secret, site_id="")):
    r0 = resource.getrusage(resource.RUSAGE_SELF)
    t0 = time.perf_counter()
    n = 0
    for wb in TSC.Pager(server.workbooks, TSC.RequestOptions(pagesize=100)):
        n += 1
    wall = time.perf_counter() - t0
    r1 = resource.getrusage(resource.RUSAGE_SELF)
    cpu = (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)
print(n, f"{wall:.3f}", f"{cpu:.3f}")
