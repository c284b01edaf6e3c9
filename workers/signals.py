"""Worker start-up: on the embedded filesystem broker, purge leftover control (pidbox) messages.

A stale ``shutdown`` broadcast left in the control folder can stop the next worker that starts
(treeverse/dvc#10427); the queue folders themselves are kept, so queued work survives a restart.
"""

import logging
import shutil
from pathlib import Path

from celery.signals import worker_init

logger = logging.getLogger(__name__)


@worker_init.connect
def purge_filesystem_control_messages(sender=None, **kwargs) -> None:
    app = getattr(sender, "app", None)
    if app is None or not str(app.conf.broker_url).startswith("filesystem://"):
        return
    options = app.conf.broker_transport_options or {}
    for key in ("data_folder_in", "control_folder"):
        if options.get(key):
            Path(options[key]).mkdir(parents=True, exist_ok=True)
    control = options.get("control_folder")
    if control:
        for entry in Path(control).iterdir():
            if entry.is_file() and entry.suffix == ".msg":
                entry.unlink(missing_ok=True)
            elif entry.is_dir():
                shutil.rmtree(entry, ignore_errors=True)
        logger.info("purged leftover control messages in %s", control)
