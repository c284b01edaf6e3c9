"""Race tests: a service called from many threads at once, each thread on its own database connection."""

import threading
from collections.abc import Callable, Sequence

from django.db import connections


def race(target: Callable, args_list: Sequence[tuple]) -> list:
    """Call ``target(*args)`` once per ``args`` in its own thread, all released together by a barrier; return
    each call's result or the exception it raised, in ``args_list``'s order."""
    barrier = threading.Barrier(len(args_list))
    results: list = [None] * len(args_list)

    def run(i, args):
        try:
            barrier.wait()
            results[i] = target(*args)
        except Exception as error:  # noqa: BLE001 - collected for the test to assert on
            results[i] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, a)) for i, a in enumerate(args_list)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return results
