"""Build and run a rendered project's image with buildah, on local stand-ins for its base images.

There is no Docker engine on these machines (and buildah's default OCI isolation fails: crun
refuses the sandbox's cgroups) and no registry but PyPI and Debian's mirror, so:

- images are built with ``buildah bud --isolation chroot`` (no daemon, no user namespace) into a
  private storage root that the caller removes afterwards;
- the images the Dockerfile names are made locally under the very same names (``FROM`` resolves
  them from that storage, never from a registry), from what these machines can get:

  ``python:<version>-slim-bookworm``
      a Debian bookworm root filesystem from ``debootstrap --variant=minbase`` with the packages
      the official image adds (certificates, netbase, tzdata and the libraries CPython links), plus
      the machine's own CPython build of the same minor version copied into /usr/local, with its
      shared library registered by ldconfig: ``/usr/local/bin/python3`` works as in the official
      image, but the patch release is the machine's, not the one in the tag. No pip. The machine
      reaches PyPI through a TLS-intercepting proxy, so the stand-in trusts what the machine trusts:
      its CA bundle replaces Debian's and SSL_CERT_FILE (which uv reads) names it.
  ``ghcr.io/astral-sh/uv:<version>``
      a scratch image holding ``/uv`` and ``/uvx`` from uv's PyPI wheel of the same version.
"""

from __future__ import annotations

import contextlib
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import clean_env

TOOLS = ("buildah", "debootstrap")
DEBIAN_SUITE = "bookworm"
DEFAULT_MIRROR = "http://deb.debian.org/debian"
# What python:*-slim-bookworm installs on debian:bookworm-slim besides CPython itself.
STANDIN_PACKAGES = (
    "ca-certificates",
    "netbase",
    "tzdata",
    "libbz2-1.0",
    "libexpat1",
    "libffi8",
    "liblzma5",
    "libncursesw6",
    "libreadline8",
    "libsqlite3-0",
    "libssl3",
    "libuuid1",
    "zlib1g",
)
# Dropped from the stand-in's root filesystem, as debian:bookworm-slim and the official image
# drop them: package caches and lists, documentation.
SLIMMED = (
    "var/cache/apt/archives",
    "var/lib/apt/lists",
    "usr/share/doc",
    "usr/share/man",
    "usr/share/info",
    "usr/share/locale",
)
HOST_CA_BUNDLE = Path("/etc/ssl/certs/ca-certificates.crt")
# overlay: each layer stores only what changed (vfs copies the whole tree per layer, several
# times slower); it works here as root, and the storage unmounts it after each step.
STORAGE_DRIVER = "overlay"
TIMEOUT = 900.0


def skip_or_fail(reason: str) -> None:
    """Skip, except in CI (CI=true), where a missing prerequisite must fail the run instead."""
    __tracebackhide__ = True
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (CI=true: this test never skips in CI)", pytrace=False)
    pytest.skip(reason)


def require_tools() -> None:
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    if missing:
        skip_or_fail(
            f"{' and '.join(missing)} not found: the image test builds with buildah on a "
            "debootstrap root filesystem (apt-get install -y buildah debootstrap)"
        )


def run(
    args: Sequence[str],
    *,
    cwd: Path | None = None,
    env: Mapping[str, str] | None = None,
    timeout: float = TIMEOUT,
    check: bool = True,
) -> subprocess.CompletedProcess[str]:
    """Run a command in a clean environment; on failure, fail the test with its whole output."""
    __tracebackhide__ = True
    proc = subprocess.Popen(
        list(args),
        cwd=cwd,
        env={**clean_env(), **(env or {})},
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,  # a timeout kills the whole process group
    )
    try:
        output, _ = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        output, _ = proc.communicate()
        pytest.fail(
            f"`{shlex.join(args)}` timed out after {timeout:.0f}s:\n{output}",
            pytrace=False,
        )
    if check and proc.returncode:
        pytest.fail(f"`{shlex.join(args)}` exited with {proc.returncode}:\n{output}", pytrace=False)
    return subprocess.CompletedProcess(proc.args, proc.returncode, output)


# --- what the Dockerfile builds from --------------------------------------------------------


def base_images(dockerfile: str) -> list[str]:
    """The images a Dockerfile builds FROM or copies --from, ARG defaults substituted."""
    stages = set(re.findall(r"^FROM \S+ AS (\S+)$", dockerfile, re.MULTILINE))
    refs = re.findall(r"^FROM (\S+)|--from=(\S+)", dockerfile, re.MULTILINE)
    images: list[str] = []
    for ref in (from_ or copy_from for from_, copy_from in refs):
        image = substitute_args(dockerfile, ref)
        if image not in stages and image not in images:
            images.append(image)
    return images


def stage_base(dockerfile: str, stage: str) -> str:
    """The image the stage starts FROM."""
    found = re.search(rf"^FROM (\S+) AS {stage}$", dockerfile, re.MULTILINE)
    assert found, f"no stage {stage} in the Dockerfile"
    return substitute_args(dockerfile, found.group(1))


def substitute_args(dockerfile: str, text: str) -> str:
    args = dict(re.findall(r"^ARG (\w+)=(\S*)$", dockerfile, re.MULTILINE))
    return re.sub(r"\$\{(\w+)\}", lambda match: args[match.group(1)], text)


# --- the python stand-in ----------------------------------------------------------------------


def debian_mirror(sources: Path = Path("/etc/apt")) -> str:
    """The mirror this machine's apt uses for Debian itself (deb822 or one-line sources)."""
    files = [sources / "sources.list", *sorted(sources.glob("sources.list.d/*"))]
    for text in (path.read_text(encoding="utf-8") for path in files if path.is_file()):
        for stanza in re.split(r"\n\s*\n", text):
            uris = re.search(r"^URIs:\s*(\S+)", stanza, re.MULTILINE)
            suites = re.search(r"^Suites:(.*)$", stanza, re.MULTILINE)
            if uris and suites and DEBIAN_SUITE in suites.group(1).split():
                return uris.group(1)
        one_line = re.search(rf"^deb\s+(?:\[[^]]*\]\s+)?(\S+)\s+{DEBIAN_SUITE}\s", text, re.M)
        if one_line:
            return one_line.group(1)
    return DEFAULT_MIRROR


def debootstrap_tarball(workdir: Path) -> Path:
    """A slimmed minbase bookworm root filesystem with the stand-in's packages, as a tarball."""
    rootfs = workdir / "rootfs"
    include = ",".join(STANDIN_PACKAGES)
    args = ["debootstrap", "--variant=minbase", f"--include={include}", DEBIAN_SUITE, str(rootfs)]
    try:
        run([*args, debian_mirror()], cwd=workdir)
        for path in SLIMMED:
            shutil.rmtree(rootfs / path, ignore_errors=True)
            (rootfs / path).mkdir(parents=True)
        shutil.copyfile(HOST_CA_BUNDLE, rootfs / HOST_CA_BUNDLE.relative_to("/"))
        tarball = workdir / f"{DEBIAN_SUITE}-minbase.tar"
        run(["tar", "--numeric-owner", "-C", str(rootfs), "-cf", str(tarball), "."])
    finally:
        unmount_under(rootfs)  # debootstrap mounts /proc and /sys in the target while it runs
        shutil.rmtree(rootfs, ignore_errors=True)
    return tarball


def cpython_prefix(minor: str) -> Path:
    """Where the machine's CPython ``minor`` is installed, as a prefix of its own to copy."""
    found = run(["uv", "python", "find", "--no-project", minor], check=False)
    if found.returncode:
        skip_or_fail(f"no CPython {minor} on this machine for the python stand-in image")
    python = found.stdout.strip().splitlines()[-1]
    prefix = Path(run([python, "-c", "import sys; print(sys.base_prefix)"]).stdout.strip())
    if prefix in (Path("/"), Path("/usr")) or not (prefix / "lib" / f"python{minor}").is_dir():
        skip_or_fail(f"CPython {minor} at {prefix} is not in a prefix of its own to copy")
    return prefix


def stage_cpython(prefix: Path, minor: str, dest: Path) -> Path:
    """Copy what the official image has in /usr/local: the interpreter, libpython and the
    standard library, without tests, caches, static libraries or site-packages."""

    def ignore(directory: str, names: list[str]) -> set[str]:
        dropped = {"test", "tests", "idle_test", "__pycache__"}
        if Path(directory).name == "site-packages":
            dropped.update(names)
        return {name for name in names if name in dropped or name.endswith((".pyc", ".a"))}

    (dest / "bin").mkdir(parents=True)
    shutil.copy2(prefix / "bin" / f"python{minor}", dest / "bin")
    for link, target in (("python3", f"python{minor}"), ("python", "python3")):
        (dest / "bin" / link).symlink_to(target)
    (dest / "lib").mkdir()
    for lib in (prefix / "lib").glob("libpython3*.so*"):
        shutil.copy2(lib, dest / "lib", follow_symlinks=False)
    shutil.copytree(
        prefix / "lib" / f"python{minor}", dest / "lib" / f"python{minor}", ignore=ignore
    )
    return dest


# --- buildah with a private storage -----------------------------------------------------------


@dataclass(frozen=True)
class Buildah:
    """buildah on a storage of its own under ``home``: nothing shared with other runs."""

    home: Path

    @property
    def env(self) -> dict[str, str]:
        # buildah keeps RUN --mount=type=cache directories and its scratch files under TMPDIR.
        return {"TMPDIR": str(self.home / "tmp")}

    def __call__(
        self, *args: str, cwd: Path | None = None, timeout: float = TIMEOUT, check: bool = True
    ) -> subprocess.CompletedProcess[str]:
        __tracebackhide__ = True
        (self.home / "tmp").mkdir(parents=True, exist_ok=True)
        return run([*self.command(), *args], cwd=cwd, env=self.env, timeout=timeout, check=check)

    def command(self) -> list[str]:
        return [
            "buildah",
            "--root",
            str(self.home / "root"),
            "--runroot",
            str(self.home / "run"),
            "--storage-driver",
            STORAGE_DRIVER,
        ]

    def remove_everything(self) -> list[str]:
        """Remove every container and image and delete the storage. Returns what was still
        mounted after that (and has been unmounted): buildah should leave nothing."""
        self("rm", "--all", check=False)
        self("rmi", "--all", "--force", check=False)
        left = mounts_under(self.home)
        unmount_under(self.home)
        shutil.rmtree(self.home, ignore_errors=True)
        return left


def make_python_standin(buildah: Buildah, name: str, tarball: Path, workdir: Path) -> None:
    version = name.split(":", 1)[1].split("-", 1)[0]  # python:3.12.16-slim-bookworm -> 3.12.16
    minor = ".".join(version.split(".")[:2])
    staged = stage_cpython(cpython_prefix(minor), minor, workdir / f"cpython-{minor}")
    try:
        container = buildah("from", "--pull=never", "scratch").stdout.strip()
        buildah("add", container, str(tarball), "/")
        buildah("add", container, str(staged), "/usr/local")
    finally:
        shutil.rmtree(staged)
    # Register libpython, then check the standard library's C modules find what they link.
    check = "import bz2, ctypes, lzma, readline, sqlite3, ssl, uuid, zlib, zoneinfo"
    script = f"ldconfig && python3 -c '{check}'"
    buildah("run", "--isolation", "chroot", container, "--", "sh", "-c", script)
    buildah(
        "config",
        "--env",
        "PATH=/usr/local/bin:/usr/local/sbin:/usr/sbin:/usr/bin:/sbin:/bin",
        "--env",
        "LANG=C.UTF-8",
        "--env",
        f"PYTHON_VERSION={version}",
        "--env",
        f"SSL_CERT_FILE={HOST_CA_BUNDLE}",
        "--cmd",
        "python3",
        container,
    )
    buildah("commit", "--rm", "--quiet", container, qualified(name))


def make_uv_standin(buildah: Buildah, name: str, workdir: Path) -> None:
    version = name.rsplit(":", 1)[1]
    target = workdir / f"uv-{version}"
    install = ["uv", "pip", "install", "--no-deps", "--only-binary", ":all:"]
    # Any interpreter will do: the wheel only carries binaries.
    run([*install, "--target", str(target), "--python", sys.executable, f"uv=={version}"])
    try:
        container = buildah("from", "--pull=never", "scratch").stdout.strip()
        for binary in ("uv", "uvx"):
            buildah("add", container, str(target / "bin" / binary), "/")
    finally:
        shutil.rmtree(target)
    buildah("config", "--entrypoint", '["/uv"]', container)
    buildah("commit", "--rm", "--quiet", container, qualified(name))


def qualified(name: str) -> str:
    """The full name a short image name stands for: python:x is docker.io/library/python:x."""
    if "/" not in name.split(":", 1)[0]:
        return f"docker.io/library/{name}"
    if "." not in name.split("/", 1)[0]:
        return f"docker.io/{name}"
    return name


def make_standins(buildah: Buildah, images: Sequence[str], tarball: Path, workdir: Path) -> None:
    for name in images:
        if name.startswith("python:") and name.endswith(f"-slim-{DEBIAN_SUITE}"):
            make_python_standin(buildah, name, tarball, workdir)
        elif name.startswith("ghcr.io/astral-sh/uv:"):
            make_uv_standin(buildah, name, workdir)
        else:
            pytest.fail(f"the Dockerfile uses {name}, which the image test has no stand-in for")


# --- what must not be left behind ---------------------------------------------------------------


def mounts_under(path: Path) -> list[str]:
    mountinfo = Path("/proc/self/mountinfo").read_text(encoding="utf-8")
    points = [line.split()[4] for line in mountinfo.splitlines()]
    return [point for point in points if Path(point).is_relative_to(path)]


def unmount_under(path: Path) -> None:
    for point in sorted(mounts_under(path), key=len, reverse=True):  # deepest first
        subprocess.run(["umount", "--lazy", point], check=False)


def processes_rooted_under(path: Path) -> list[int]:
    """Processes whose root directory is under ``path``: what a chroot'd `buildah run` left."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and Path(os.readlink(entry / "root")).is_relative_to(path):
                found.append(int(entry.name))
        except OSError:  # gone, or not ours to look at
            continue
    return found


def kill_all(pids: Sequence[int]) -> None:
    for pid in pids:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


def processes_with(marker: str) -> list[int]:
    """Processes whose environment holds ``marker``: what a command in the image started."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                environ = (entry / "environ").read_bytes()
            except OSError:  # gone, or a kernel thread
                continue
            if marker.encode() in environ.split(b"\0"):
                found.append(int(entry.name))
    return found


def wait_until_gone(marker: str, timeout: float) -> list[int]:
    deadline = time.monotonic() + timeout
    while (left := processes_with(marker)) and time.monotonic() < deadline:
        time.sleep(0.1)
    return left
