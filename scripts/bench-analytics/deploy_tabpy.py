"""Deploys the benchmark function to TabPy: the Python twin of ScaleAdd
in scripts/bench-analytics/main.go.
Usage: deploy_tabpy.py URL [USER] (the password comes from $BENCH_PASSWORD)"""
import os
import sys

from tabpy.tabpy_tools.client import Client


def scale_add(x, y):
    return [2 * a + b for a, b in zip(x, y)]


client = Client(sys.argv[1])
if len(sys.argv) > 2 and sys.argv[2]:
    client.set_credentials(sys.argv[2], os.environ["BENCH_PASSWORD"])
client.deploy("scale_add", scale_add, "2*x + y per row (benchmark)", override=True)
print(client.query("scale_add", [1, 2], [3, 4])["response"])
