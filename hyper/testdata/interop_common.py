"""Canonical text for Hyper values, shared by the interop scripts.

Both sides (tableauhyperapi here, the Go package in interop_test.go) turn
every value into the same text so rows can be compared exactly.
"""
from tableauhyperapi import TypeTag


def canon(v, t):
    if v is None:
        return "NULL"
    tag = t.tag
    if tag == TypeTag.BOOL:
        return "true" if v else "false"
    if tag in (TypeTag.SMALL_INT, TypeTag.INT, TypeTag.BIG_INT, TypeTag.OID):
        return str(int(v))
    if tag in (TypeTag.DOUBLE, TypeTag.FLOAT):
        return repr(float(v))
    if tag == TypeTag.NUMERIC:
        return str(v)
    if tag in (TypeTag.TEXT, TypeTag.VARCHAR, TypeTag.CHAR, TypeTag.JSON):
        return str(v)
    if tag in (TypeTag.BYTES, TypeTag.GEOGRAPHY):
        return bytes(v).hex()
    if tag == TypeTag.DATE:
        return "%04d-%02d-%02d" % (v.year, v.month, v.day)
    if tag == TypeTag.TIME:
        return "%02d:%02d:%02d.%06d" % (v.hour, v.minute, v.second, v.microsecond)
    if tag in (TypeTag.TIMESTAMP, TypeTag.TIMESTAMP_TZ):
        return "%04d-%02d-%02d %02d:%02d:%02d.%06d" % (
            v.year, v.month, v.day, v.hour, v.minute, v.second, v.microsecond)
    if tag == TypeTag.INTERVAL:
        return "%d/%d/%d" % (v.months, v.days, v.microseconds)
    raise ValueError("no canonical form for %s" % t)
