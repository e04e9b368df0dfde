"""List every project of a Tableau site with tableauserverclient's Pager.

Usage: tsc_paging.py SERVER PAT_NAME PAT_SECRET PAGE_SIZE REPEAT

Prints one line: "<items> <seconds>" where seconds is the wall time of REPEAT
full walks (sign-in excluded), so the Go benchmark compares like with like.
"""
import sys
import time

import tableauserverclient as TSC


def main():
    server_url, name, secret, page_size, repeat = sys.argv[1:6]
    server = TSC.Server(server_url, use_server_version=False)
    server.version = "3.24"
    server.auth.sign_in(TSC.PersonalAccessTokenAuth(name, secret, site_id=""))
    opts = TSC.RequestOptions(pagesize=int(page_size))
    items = 0
    start = time.perf_counter()
    for _ in range(int(repeat)):
        items = sum(1 for _ in TSC.Pager(server.projects, opts))
    elapsed = time.perf_counter() - start
    server.auth.sign_out()
    print(items, elapsed)


if __name__ == "__main__":
    main()
