"""The objects a server process makes while it starts (every imported module, the app, its blueprints,
templates and mappers: some 240,000) are kept for its whole life, and Python's cyclic garbage collector
went through all of them on each full collection: 110-160 ms on the 2-core server, in the middle of
whichever request was running, every few letters signed (the tail of the issue 15 benchmark).

`freeze_start_up_objects()`, called where the app is served (wsgi.py) and in the worker, collects once and
moves what is left into the collector's permanent generation, which it no longer scans; objects made later
are collected as before (a full collection then takes 10-40 ms). Reference counting still frees a frozen
object when its last reference goes; only garbage in a cycle made before the freeze would stay, and there is
none left after the collection. It also keeps forked children (rq's work horses) from touching the pages of
those objects (Python's documentation of gc.freeze).
"""
import gc


def freeze_start_up_objects():
    gc.collect()
    gc.freeze()
