"""Runs TabPy bound to 127.0.0.1 only, for scripts/bench-analytics.sh.

TabPy has no setting for the listen address (it listens on every
interface), so this wraps tornado's Application.listen to add
address="127.0.0.1" and then starts TabPy's own main() unchanged.
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
