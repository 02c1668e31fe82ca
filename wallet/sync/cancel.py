"""Loops that run until cancelled, made sure to end when they are.

On Python 3.11 ``asyncio.wait_for`` returns a result that arrives in the same turn as a
cancellation and drops the cancellation (CPython gh-86296, fixed in 3.12); the task stays
"cancelling" but runs on. A follow loop calls :func:`stop_if_cancelled` each turn, so a
cancellation lost in any wait below it still ends the loop at the next turn.
"""

from __future__ import annotations

import asyncio


def stop_if_cancelled() -> None:
    """Raise ``CancelledError`` when the running task was asked to stop."""
    task = asyncio.current_task()
    if task is not None and task.cancelling():
        raise asyncio.CancelledError


__all__ = ["stop_if_cancelled"]
