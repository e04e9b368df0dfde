"""Deploys the benchmark function to TabPy: the Python twin of ScaleAdd
in scripts/bench-analytics/main.go. Usage: deploy_tabpy.py URL"""
import sys

from tabpy.tabpy_tools.client import Client


def scale_add(x, y):
    return [2 * a + b for a, b in zip(x, y)]


client = Client(sys.argv[1])
client.deploy("scale_add", scale_add, "2*x + y per row (benchmark)", override=True)
print(client.query("scale_add", [1, 2], [3, 4])["response"])
