"""Starts a real TabPy bound to 127.0.0.1 for tabpy_compat_test.go.

TabPy has no listen-address setting, so tornado's Application.listen is
wrapped to pass address="127.0.0.1"; then TabPy's own main() runs.
Usage: tabpy_server.py --config FILE
"""
import sys

import tornado.web

_listen = tornado.web.Application.listen


def _loopback_listen(self, port, address="", **kwargs):
    return _listen(self, port, address="127.0.0.1", **kwargs)


tornado.web.Application.listen = _loopback_listen

from tabpy.tabpy import main  # noqa: E402

sys.argv[0] = "tabpy"
sys.exit(main())
