"""Device selection for GPU-queue tasks. Imports torch lazily: call only inside a task body."""


def select_device(preferred: str = "auto") -> str:
    """Return "cuda" when asked for (or "auto") and a GPU is usable, else "cpu"."""
    if preferred == "cpu":
        return "cpu"
    import torch

    if torch.cuda.is_available():
        return "cuda"
    if preferred == "cuda":
        return "cpu"  # callers record that they fell back
    return "cpu"


def is_cuda_oom(error: BaseException) -> bool:
    import torch

    return isinstance(error, torch.cuda.OutOfMemoryError) or "CUDA out of memory" in str(error)
