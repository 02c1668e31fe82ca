"""The one build step pyproject.toml cannot declare: the GUI's translations (resources/i18n/*.ts)
compiled to .qm files with pyside6-lrelease, into the wheel (``pip install .``) or, for an editable
install, beside the code. PySide6 is a build requirement for this (pyproject.toml)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent


def _i18n_build():
    spec = importlib.util.spec_from_file_location("i18n_build", HERE / "wallet/gui/i18n_build.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class BuildWithTranslations(build_py):
    def run(self) -> None:
        super().run()
        i18n = _i18n_build()
        if getattr(self, "editable_mode", False):
            out = i18n.PACKAGED  # an editable install imports the package from the checkout
        else:
            out = Path(self.build_lib) / "wallet" / "gui" / "translations"
        for path in i18n.compile_all(out):
            print(f"compiled {path}")


setup(cmdclass={"build_py": BuildWithTranslations})
