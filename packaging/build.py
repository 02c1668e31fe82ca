"""Build Paylight's installers: ``python3 packaging/build.py``.

Runs PyInstaller (packaging/paylight.spec) in a private venv holding the hashed build requirements
(the app's own dependencies come from the environment that started this script, a venv or not),
then packs:
Linux a .tar.gz of the one-folder bundle and a .deb; macOS a .dmg of Paylight.app; Windows an
installer from packaging/windows/paylight.iss. Outputs go to packaging/dist/. Timestamps come from
SOURCE_DATE_EPOCH (default: the last git commit), the version from wallet/__init__.py only.
"""

from __future__ import annotations

import argparse
import gzip
import os
import platform
import re
import shutil
import subprocess
import sys
import tarfile
import venv
from pathlib import Path
from typing import NoReturn

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
BUILD = HERE / "build"
DIST = HERE / "dist"
VENV = BUILD / "venv"
ICON_SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512)  # hicolor's usual sizes


def app_version() -> str:
    text = (ROOT / "wallet" / "__init__.py").read_text()
    match = re.search(r'^__version__ = "([^"]+)"$', text, re.MULTILINE)
    if not match:
        raise SystemExit('build.py: no __version__ = "..." line in wallet/__init__.py')
    return match.group(1)


def source_date_epoch() -> int:
    if os.environ.get("SOURCE_DATE_EPOCH"):
        return int(os.environ["SOURCE_DATE_EPOCH"])
    try:
        out = subprocess.run(
            ["git", "-C", str(ROOT), "log", "-1", "--format=%ct"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        return int(out.strip())
    except (OSError, subprocess.CalledProcessError, ValueError):
        raise SystemExit("build.py: not a git checkout; set SOURCE_DATE_EPOCH") from None


def run(cmd: list[str], **kwargs) -> None:
    print("+", " ".join(cmd), flush=True)
    subprocess.run(cmd, check=True, **kwargs)


def app_site_dirs() -> list[str]:
    """Where this interpreter finds the app's dependencies (PySide6, coincurve, ...): its
    site-packages, the same whether it is a system Python, pyenv's, or a virtual environment."""
    names = ("site-packages", "dist-packages")
    return [p for p in sys.path if Path(p).name in names and Path(p).is_dir()]


def enter_build_venv() -> NoReturn:
    """Re-run this script in BUILD/venv with exactly the hashed build requirements installed.

    The venv is made from this interpreter; a ``.pth`` file then adds the site-packages of the
    environment that started the build after its own, so the pinned build tools come first and
    the app's own dependencies are found after them. (``system_site_packages`` would not do:
    from inside a virtual environment it means the *base* interpreter's packages, which lack
    PySide6.)
    """
    python = VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    version = f"{sys.version_info.major}.{sys.version_info.minor}"
    if python.exists():
        made_by = subprocess.run(
            [str(python), "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
            capture_output=True,
            text=True,
        ).stdout.strip()
        cfg = (VENV / "pyvenv.cfg").read_text()
        if made_by != version or "include-system-site-packages = true" in cfg:
            shutil.rmtree(VENV)  # made by another Python, or the old way: start again
    if not python.exists():
        venv.EnvBuilder(with_pip=True).create(VENV)
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    pth = Path(site) / "_paylight_app_site.pth"
    pth.unlink(missing_ok=True)  # pip must see only the venv's own packages
    pip = [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    run([*pip, "--require-hashes", "-r", str(HERE / "requirements-build.txt")])
    # addsitedir, not bare paths: their own .pth files count too (an editable install's finder)
    pth.write_text(f"import site; list(map(site.addsitedir, {app_site_dirs()!r}))\n")
    # A child rather than os.execv, which on Windows returns to the shell before the build ends.
    raise SystemExit(subprocess.run([str(python), __file__, "--no-venv", *sys.argv[1:]]).returncode)


def render_icons(svg: Path, dest: Path) -> None:
    """hicolor PNGs from the one SVG, drawn by Qt so no other SVG tool is needed."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    _app = QGuiApplication.instance() or QGuiApplication([])
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise SystemExit(f"build.py: Qt cannot read {svg}")
    for size in ICON_SIZES:
        image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter)
        painter.end()
        (dest / f"{size}x{size}").mkdir(parents=True, exist_ok=True)
        if not image.save(str(dest / f"{size}x{size}" / "paylight.png"), "PNG"):
            raise SystemExit(f"build.py: cannot write the {size}px icon")


def normalize(tree: Path, epoch: int) -> None:
    """Same modes and times on every machine: 755 for dirs and executables, 644 otherwise."""
    for path in sorted(tree.rglob("*"), reverse=True):
        if path.is_symlink():
            continue
        mode = 0o755 if path.is_dir() or os.access(path, os.X_OK) else 0o644
        path.chmod(mode)
        os.utime(path, (epoch, epoch))
    os.utime(tree, (epoch, epoch))


def make_tarball(tree: Path, out: Path, top: str, epoch: int) -> None:
    """A .tar.gz whose bytes depend only on the files: sorted, root-owned, fixed times."""

    def clean(info: tarfile.TarInfo) -> tarfile.TarInfo:
        info.uid = info.gid = 0
        info.uname = info.gname = "root"
        info.mtime = epoch
        return info

    paths = [tree, *sorted(tree.rglob("*"), key=lambda p: p.relative_to(tree).parts)]
    with (
        out.open("wb") as raw,
        gzip.GzipFile("", "wb", 6, raw, mtime=epoch) as gz,
        tarfile.open(fileobj=gz, mode="w", format=tarfile.GNU_FORMAT) as tar,
    ):
        for path in paths:
            arcname = str(Path(top, path.relative_to(tree)))
            tar.add(path, arcname=arcname, recursive=False, filter=clean)


def debian_depends() -> str:
    """The C runtime the bundle was linked against, then the system libraries Qt loads."""
    out = subprocess.run(
        ["bash", str(HERE / "debian-deps.sh"), "--list"], capture_output=True, text=True, check=True
    ).stdout
    glibc = platform.libc_ver()[1]
    return ", ".join([f"libc6 (>= {glibc})", "libstdc++6", "libgcc-s1", *out.split()])


def make_deb(bundle: Path, icons: Path, version: str, epoch: int, xz_level: int = 6) -> Path:
    arch = subprocess.run(
        ["dpkg", "--print-architecture"], capture_output=True, text=True, check=True
    ).stdout.strip()
    root = BUILD / "deb" / f"paylight_{version}_{arch}"
    shutil.rmtree(root.parent, ignore_errors=True)
    shutil.copytree(bundle, root / "opt" / "paylight", symlinks=True)
    (root / "usr" / "bin").mkdir(parents=True)
    (root / "usr" / "bin" / "paylight").symlink_to("/opt/paylight/paylight")
    share = root / "usr" / "share"
    for size in ICON_SIZES:
        target = share / "icons" / "hicolor" / f"{size}x{size}" / "apps"
        target.mkdir(parents=True)
        shutil.copy(icons / f"{size}x{size}" / "paylight.png", target)
    (share / "icons" / "hicolor" / "scalable" / "apps").mkdir(parents=True)
    shutil.copy(ROOT / "resources" / "paylight.svg", share / "icons/hicolor/scalable/apps")
    (share / "applications").mkdir(parents=True)
    shutil.copy(HERE / "linux" / "paylight.desktop", share / "applications")
    (share / "doc" / "paylight").mkdir(parents=True)
    shutil.copy(HERE / "linux" / "copyright", share / "doc" / "paylight")
    size_kib = sum(p.lstat().st_size for p in root.rglob("*") if not p.is_dir()) // 1024
    (root / "DEBIAN").mkdir()
    (root / "DEBIAN" / "control").write_text(
        f"Package: paylight\nVersion: {version}\nArchitecture: {arch}\n"
        "Maintainer: Paylight developers <paylight@example.invalid>\n"
        f"Installed-Size: {size_kib}\nDepends: {debian_depends()}\n"
        "Section: utils\nPriority: optional\n"
        "Description: Bitcoin wallet and light node that checks its own payments\n"
        " Pay and get paid by QR code. Paylight keeps its own proof-of-work-checked chain of\n"
        " block headers and counts a payment as confirmed only after checking its Merkle\n"
        " proof against that chain. Self-contained build (Python and Qt included).\n"
    )
    normalize(root, epoch)
    out = DIST / f"paylight_{version}_{arch}.deb"
    env = {**os.environ, "SOURCE_DATE_EPOCH": str(epoch)}
    run(
        ["dpkg-deb", "--root-owner-group", "-Zxz", f"-z{xz_level}", "--build", str(root), str(out)],
        env=env,
    )
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--no-venv",
        action="store_true",
        help="use this interpreter's PyInstaller instead of the pinned venv",
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="compress the .deb with xz -1, not -6 (CI's smoke test: 15 s instead of 60, +12%%)",
    )
    args = parser.parse_args()
    if not args.no_venv:
        enter_build_venv()
    version, epoch = app_version(), source_date_epoch()
    shutil.rmtree(DIST, ignore_errors=True)
    DIST.mkdir(parents=True)
    icons = BUILD / "icons"
    render_icons(ROOT / "resources" / "paylight.svg", icons)
    env = {
        **os.environ,
        "PAYLIGHT_VERSION": version,
        "PAYLIGHT_ICONS": str(icons),
        "SOURCE_DATE_EPOCH": str(epoch),
        "PYTHONHASHSEED": "0",
    }
    spec = str(HERE / "paylight.spec")
    pyinstaller = [sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean"]
    paths = [f"--distpath={BUILD / 'pyinstaller'}", f"--workpath={BUILD / 'work'}"]
    run([*pyinstaller, "--log-level=WARN", *paths, spec], env=env)
    bundle = BUILD / "pyinstaller" / "paylight"
    outputs: list[Path] = []
    if sys.platform.startswith("linux"):
        normalize(bundle, epoch)
        top = f"paylight-{version}-linux-{platform.machine()}"
        outputs.append(DIST / f"{top}.tar.gz")
        make_tarball(bundle, outputs[-1], top, epoch)
        outputs.append(make_deb(bundle, icons, version, epoch, 1 if args.quick else 6))
    elif sys.platform == "darwin":
        app = BUILD / "pyinstaller" / "Paylight.app"
        outputs.append(DIST / f"Paylight-{version}-macos.dmg")
        hdiutil = ["hdiutil", "create", "-volname", "Paylight", "-ov", "-format", "UDZO"]
        run([*hdiutil, "-srcfolder", str(app), str(outputs[-1])], env=env)
    elif sys.platform == "win32":
        iscc = [os.environ.get("ISCC", "iscc"), f"/DAppVersion={version}", f"/DBundleDir={bundle}"]
        run([*iscc, f"/O{DIST}", str(HERE / "windows" / "paylight.iss")])
        outputs.extend(DIST.glob("*.exe"))
    sums = write_sha256sums(outputs)
    unpacked = sum(p.lstat().st_size for p in bundle.rglob("*") if not p.is_dir())
    print(f"bundle: {bundle} ({unpacked / 1e6:.1f} MB unpacked)")
    for out in outputs:
        print(f"output: {out} ({out.stat().st_size / 1e6:.1f} MB)")
    print(f"output: {sums} (check with: cd {DIST} && sha256sum -c SHA256SUMS)")
    return 0


def write_sha256sums(outputs: list[Path]) -> Path:
    """``SHA256SUMS`` beside the outputs, in ``sha256sum -c``'s format, sorted by name: two
    builds of one commit give the same file (packaging/repro-check.sh compares them)."""
    import hashlib

    lines = []
    for out in sorted(outputs, key=lambda p: p.name):
        digest = hashlib.sha256()
        with out.open("rb") as f:
            for block in iter(lambda f=f: f.read(1 << 20), b""):
                digest.update(block)
        lines.append(f"{digest.hexdigest()}  {out.name}\n")
    path = DIST / "SHA256SUMS"
    path.write_text("".join(lines))
    return path


if __name__ == "__main__":
    raise SystemExit(main())
