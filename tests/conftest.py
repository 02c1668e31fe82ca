"""Shared test fixtures: where the read-only reference data lives, and offscreen Qt."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

import pytest
from hypothesis import settings

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

#: Fixtures every test module may ask for by name, registered once here (never imported):
#: ``playground`` and ``playground_module``, a real chain on free ports. Helpers shared by test
#: modules live in modules without the ``test_`` prefix; no test imports another test module.
pytest_plugins = ["tests.playground_fixture"]

# No per-example deadline (a loaded CI machine is slower than a laptop), and in CI the same
# examples every run, so a red build always means a real regression that reproduces.
settings.register_profile("paylight", deadline=None, derandomize=bool(os.environ.get("CI")))
settings.load_profile("paylight")

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("PAYLIGHT_SHARED", REPO.parent / "shared"))


def shared_path(*parts: str) -> Path:
    """A path under ../shared, or a clean skip (with the reason) when it is not there."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"reference data {path} is absent (../shared is not beside this checkout)")
    return path


@pytest.fixture
def shared():
    return shared_path


@pytest.fixture
def shot(tmp_path):
    """``shot(widget, name)``: save a grab of ``widget`` as NAME.png, into $PAYLIGHT_SCREENSHOTS
    to look at them, else into the test's temporary folder (removed with it)."""
    folder = Path(os.environ.get("PAYLIGHT_SCREENSHOTS") or tmp_path / "shots")

    def save(widget, name: str) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        widget.grab().save(str(folder / f"{name}.png"))

    return save


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session, exitstatus):
    """After a run where every test passed, pytest has removed its temporary folder (the
    ``tmp_path_retention_policy`` in pyproject.toml); remove the per-user root it was made in
    too, when nothing else is left there (failed runs keep theirs to look at)."""
    factory = getattr(session.config, "_tmp_path_factory", None)
    basetemp = getattr(factory, "_basetemp", None)
    if exitstatus != 0 or basetemp is None or getattr(factory, "_given_basetemp", None):
        return
    root = basetemp.parent  # <temp>/pytest-of-<user>
    if not root.is_dir() or not root.name.startswith("pytest-of-"):
        return
    for entry in root.iterdir():
        if entry.is_symlink() and not entry.exists():  # pytest-current, pointing at nothing
            entry.unlink()
    with contextlib.suppress(OSError):  # not empty: an earlier run's folders are kept
        root.rmdir()


_APP = None  # the session's QApplication, kept alive until the interpreter exits (as pytest-qt)


@pytest.fixture(scope="session")
def qapp(qapp_args):
    """The QApplication set up as the app sets it up (``create_application``): among other
    things, garbage collection runs on this thread only (wallet.gui.main_thread_gc)."""
    global _APP
    from wallet.gui.app import create_application

    # in English whatever the machine's language (tests that need another install it)
    _APP = create_application(list(qapp_args) or ["paylight-tests"], language="en")
    return _APP


@pytest.fixture(autouse=True)
def _collect_on_this_thread():
    """Once the app is up, automatic collection is off; tests that run no event loop get the
    collections their allocations call for here, on the UI thread, as the app's timer would."""
    yield
    if _APP is not None:
        from wallet.gui import main_thread_gc

        main_thread_gc.install(_APP).collect_due()
