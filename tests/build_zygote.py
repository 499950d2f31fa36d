"""A helper process for the kill test: loads the build model (argument 4) once, then for each
line on stdin forks a child that runs a forced rebuild (`qabot index --force`'s code path) and
prints the child's pid, then its exit status. Forking saves loading the model per kill."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from bot.config import Settings
from bot.embedding.models import load_embedder
from bot.engine import Engine


def main() -> None:
    sources, index, cache = (Path(arg) for arg in sys.argv[1:4])
    model = sys.argv[4]
    # No inference before the fork (no thread pools). The model may be tests/fake_embedder.py,
    # an embedder written in Python.
    embedder = load_embedder(model, cache, python_models=True)
    settings = Settings(sources=sources, index=index, cache=cache, model=model,
                        python_models=True)
    for _ in sys.stdin:
        pid = os.fork()
        if pid == 0:
            code = 0
            try:
                Engine(settings, load_model=lambda name: embedder).refresh(force=True)
            except BaseException:  # noqa: BLE001 - report any failure through the exit code
                code = 3
            os._exit(code)
        print(pid, flush=True)
        _, status = os.waitpid(pid, 0)
        print(status, flush=True)


if __name__ == "__main__":
    main()
