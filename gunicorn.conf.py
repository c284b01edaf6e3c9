"""Gunicorn's settings for this project: gunicorn reads ``./gunicorn.conf.py`` from the directory it starts in.

Command-line options (workers, threads, bind) stay on the command line (README, "Deploying on several machines").
"""


import logging


def post_worker_init(worker: object) -> None:
    """In each worker, once the application is loaded: keep full garbage collections off the requests' path.
    A failure is logged, never fatal: a collector setting must not keep a worker from serving."""
    try:
        from courseplatform import web_gc

        web_gc.arm()
    except Exception:
        logging.getLogger("gunicorn.error").exception("web_gc.arm failed; serving without the freeze")
