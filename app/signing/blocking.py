"""pyHanko's synchronous calls run an event loop of their own (asyncio.run), which is refused in a thread
that is already running one: an async server, or the test process once Playwright's sync API has started
its loop in the main thread. Such a call then runs in a short-lived thread of its own."""
import asyncio
from concurrent.futures import ThreadPoolExecutor


def call(function, *args, **kwargs):
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return function(*args, **kwargs)
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="pyhanko") as pool:
        return pool.submit(function, *args, **kwargs).result()
