"""Table rows to JSON lines and back, typed so that a restore gives the same values on any database.

A value that JSON cannot carry as it is goes as a one-key object: {"$dt": ISO datetime}, {"$d": ISO date},
{"$t": ISO time}, {"$b": base64 bytes}, {"$n": decimal string}.
"""
import base64
import json
from datetime import date, datetime, time
from decimal import Decimal


def encode_value(value):
    if isinstance(value, datetime):
        return {"$dt": value.isoformat()}
    if isinstance(value, date):
        return {"$d": value.isoformat()}
    if isinstance(value, time):
        return {"$t": value.isoformat()}
    if isinstance(value, (bytes, bytearray, memoryview)):
        return {"$b": base64.b64encode(bytes(value)).decode("ascii")}
    if isinstance(value, Decimal):
        return {"$n": str(value)}
    return value


_DECODERS = {"$dt": datetime.fromisoformat, "$d": date.fromisoformat, "$t": time.fromisoformat,
             "$b": base64.b64decode, "$n": Decimal}


def decode_value(value):
    if isinstance(value, dict) and len(value) == 1:
        (tag, text), = value.items()
        if tag in _DECODERS:
            return _DECODERS[tag](text)
    return value


def encode_row(values):
    return json.dumps([encode_value(v) for v in values], ensure_ascii=False, separators=(",", ":")) + "\n"


def decode_row(line):
    return [decode_value(v) for v in json.loads(line)]
