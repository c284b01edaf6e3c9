"""Device selection and the CUDA out-of-memory fallback for GPU-queue tasks (palette jobs, recommender training).

Imports torch lazily: call only inside a task body (no parent process may initialise CUDA).
"""

import gc
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")

OOM_NOTE = "fell back to CPU: CUDA out of memory"
NO_CUDA_NOTE = "no CUDA device on this worker; ran on CPU"


def select_device(preferred: str = "auto") -> str:
    """Return "cuda" when asked for (or "auto") and a GPU is usable, else "cpu"."""
    if preferred == "cpu":
        return "cpu"
    import torch

    return "cuda" if torch.cuda.is_available() else "cpu"


def is_cuda_oom(error: BaseException) -> bool:
    import torch

    return isinstance(error, torch.cuda.OutOfMemoryError) or "CUDA out of memory" in str(error)


def free_cuda_memory() -> None:
    import torch

    gc.collect()
    torch.cuda.empty_cache()


@dataclass
class DeviceRun(Generic[T]):
    result: T
    device: str  # where the result was computed
    note: str  # "" or why it is not the device asked for (NO_CUDA_NOTE, OOM_NOTE)


def run_on_device(work: Callable[[str], T], preferred: str = "auto",
                  on_fallback: Callable[[str], None] | None = None) -> DeviceRun[T]:
    """``work(device)`` on the device :func:`select_device` picks; when CUDA runs out of memory, the GPU memory
    is freed and ``work("cpu")`` runs instead (``on_fallback(OOM_NOTE)`` is called first, e.g. to record it).
    Any other error, and any error on the CPU run, propagates."""
    device = select_device(preferred)
    note = NO_CUDA_NOTE if preferred == "cuda" and device == "cpu" else ""
    try:
        result = work(device)
    except Exception as error:
        if device != "cuda" or not is_cuda_oom(error):
            raise
    else:
        return DeviceRun(result, device, note)
    # recovered outside the except block, so the traceback no longer keeps CUDA tensors alive (PyTorch FAQ)
    free_cuda_memory()
    if on_fallback is not None:
        on_fallback(OOM_NOTE)
    return DeviceRun(work("cpu"), "cpu", OOM_NOTE)
