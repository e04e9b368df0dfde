"""Deploys scale_add (2*x + y per row) to a TabPy. Usage: tabpy_deploy.py URL USER PASSWORD"""
import sys

from tabpy.tabpy_tools.client import Client


def scale_add(x, y):
    return [2 * a + b for a, b in zip(x, y)]


client = Client(sys.argv[1])
client.set_credentials(sys.argv[2], sys.argv[3])
client.deploy("scale_add", scale_add, "2*x + y per row", override=True)
