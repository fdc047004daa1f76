"""(slow) The default render's Dockerfile builds both service images, and they run.

Built with ``buildah bud --isolation chroot`` into a private storage that is removed at the end.
What the sandbox refuses, and so is not used: a Docker engine (none runs: ``docker`` is only a
client), and buildah's default OCI isolation (crun refuses the sandbox's cgroups, "cgroups in
hybrid mode not supported"); chroot isolation needs neither, and shares the host's network, so a
service in the image listens on the host's loopback. ``buildah run`` has no read-only root
filesystem, so the Kubernetes setting (read-only root, emptyDir on /tmp) is not reproduced: the
test only shows that /tmp is writable for uid 1000.

No registry but PyPI and Debian's mirror is reachable, so the base images are local stand-ins
made under the very names the Dockerfile uses (see tests/images.py): ``python:<version>-slim-
bookworm`` is a debootstrap'd bookworm (minbase) plus this machine's CPython of that minor
version in /usr/local (so its patch release is the machine's, not the tag's), and
``ghcr.io/astral-sh/uv:<version>`` holds uv from its PyPI wheel of that version. What is built
on them is the real thing: the render's Dockerfile, uv.lock and code, with packages from PyPI
and Debian.

In each image, as uid 1000: ``sales``/``auth`` and ``admin --help`` run; there is no private key
and no dev dependency, the code is compiled to bytecode and /tmp is writable. The sales image
then migrates and seeds a database of its own on the machine's Postgres, serves, answers
readiness on its API and debug ports, and stops on SIGTERM with nothing left running.

Skips when buildah or debootstrap is missing, except with CI=true, where it fails instead.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

import images
import pytest
from conftest import clean_env
from images import Buildah
from rendering import read_answers

pytestmark = pytest.mark.slow

TARGETS = ("sales", "auth")
DOCKERFILE = Path("deploy/docker/Dockerfile")
BUILD_ARGS = {
    "VERSION": "0.1.0",
    "BUILD_REF": "imagetest",
    "SOURCE_URL": "https://example.com/acme-sales.git",
}
UID = "1000:1000"
PORTS = range(43000, 43100)
DEFAULT_DATABASE_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
SERVE_TIMEOUT = 60.0  # from `sales` starting to both readiness checks answering 200
STOP_TIMEOUT = 30.0  # SIGTERM to exit; the service's own shutdown timeout is 20s

# Run inside each image as uid 1000 (argv: the dev dependencies' names). Prints a JSON report.
IMAGE_REPORT = r"""
import importlib.metadata, importlib.util, json, os, sys, sysconfig, tempfile
from importlib.util import find_spec
from pathlib import Path

def installed(name):
    try:
        importlib.metadata.distribution(name)
    except importlib.metadata.PackageNotFoundError:
        return False
    return True

site = Path(sysconfig.get_paths()["purelib"])
sources = [path for path in site.rglob("*.py")]
compiled = [path for path in sources if Path(importlib.util.cache_from_source(path)).is_file()]
with tempfile.NamedTemporaryFile(dir="/tmp") as scratch:
    scratch.write(b"metrics")
print(json.dumps({
    "uid": os.getuid(),
    "python": sys.executable,
    "dev_installed": [name for name in sys.argv[1:] if installed(name)],
    "dev_importable": [name for name in ("pytest", "mypy", "ruff") if find_spec(name)],
    "not_compiled": sorted(str(path) for path in set(sources) - set(compiled)),
    "sources": len(sources),
    "tmp_writable": True,
}))
"""

# Run inside each image as root, so that no directory is unreadable: every private key on the
# filesystem, and anything that looks like the project's keys folder.
FIND_KEYS = r"""
import json, os, re
# A PEM private key: the header, then base64 on the next line (code that names the header, as
# cryptography's does, is no key).
pem_key = re.compile(rb"-----BEGIN [A-Z ]*PRIVATE KEY-----\r?\n[A-Za-z0-9+/]{16}")
found = []
for root, dirs, files in os.walk("/"):
    dirs[:] = [d for d in dirs if os.path.join(root, d) not in ("/proc", "/sys", "/dev")]
    if os.path.basename(root) == "keys" and "site-packages" not in root:
        found.append(root + "/")
    for name in files:
        path = os.path.join(root, name)
        if os.path.islink(path) or not os.path.isfile(path) or os.path.getsize(path) > 1 << 20:
            continue
        with open(path, "rb") as file:
            if pem_key.search(file.read()):
                found.append(path)
print(json.dumps(found))
"""

# The shape of a PEM private key (not a usable one): what FIND_KEYS must report.
FAKE_KEY = "-----BEGIN PRIVATE KEY-----\n" + "QUJD" * 16 + "\n-----END PRIVATE KEY-----\n"


@dataclass(frozen=True)
class Built:
    buildah: Buildah
    project: Path
    images: dict[str, str]  # target -> image name
    runtime_base: str  # the image the runtime stage starts FROM
    containers: dict[str, str]  # target -> a working container of that image, for `run`

    def run(
        self,
        target: str,
        *command: str,
        user: str = UID,
        env: dict[str, str] | None = None,
        volumes: tuple[str, ...] = (),
    ) -> subprocess.CompletedProcess[str]:
        __tracebackhide__ = True
        args = run_args(self.containers[target], command, user=user, env=env, volumes=volumes)
        return self.buildah(*args)


def run_args(
    container: str,
    command: tuple[str, ...],
    *,
    user: str = UID,
    env: dict[str, str] | None = None,
    volumes: tuple[str, ...] = (),
) -> list[str]:
    """`buildah run` as `docker run` would run the image: as uid 1000 unless told, in chroot."""
    flags = [f"--env={name}={value}" for name, value in (env or {}).items()]
    flags += [f"--volume={volume}" for volume in volumes]
    return ["run", "--isolation", "chroot", f"--user={user}", *flags, container, "--", *command]


@pytest.fixture(scope="session")
def bookworm_tarball(
    tmp_path_factory: pytest.TempPathFactory, report: Callable[[str], None]
) -> Iterator[Path]:
    """The debootstrap'd root filesystem of the python stand-in, made once per session."""
    images.require_tools()
    workdir = tmp_path_factory.mktemp("debootstrap")
    started = time.perf_counter()
    tarball = images.debootstrap_tarball(workdir)
    report(f"{'debootstrap bookworm (minbase)':<40} {time.perf_counter() - started:7.1f}s  ok")
    yield tarball
    shutil.rmtree(workdir, ignore_errors=True)


@pytest.fixture(scope="module")
def built(
    default_render: Path,
    bookworm_tarball: Path,
    tmp_path_factory: pytest.TempPathFactory,
    report: Callable[[str], None],
) -> Iterator[Built]:
    """Both targets built from a copy of the default render, with a container of each."""
    tmp = tmp_path_factory.mktemp("image")
    project = tmp / "project"
    shutil.copytree(default_render, project, symlinks=True)
    buildah = Buildah(tmp / "buildah")
    try:
        started = time.perf_counter()
        dockerfile = (project / DOCKERFILE).read_text(encoding="utf-8")
        bases = images.base_images(dockerfile)
        images.make_standins(buildah, bases, bookworm_tarball, tmp)
        report(f"{'image stand-ins':<40} {time.perf_counter() - started:7.1f}s  ok")
        names = {target: build(buildah, project, target, report) for target in TARGETS}
        containers = {
            target: buildah("from", "--pull=never", name).stdout.strip()
            for target, name in names.items()
        }
        runtime_base = images.qualified(images.stage_base(dockerfile, "runtime"))
        yield Built(buildah, project, names, runtime_base, containers)
    finally:
        stray = images.processes_rooted_under(tmp)
        images.kill_all(stray)
        mounts = buildah.remove_everything() + images.mounts_under(tmp)
    assert not stray, f"processes left running in the images (killed): {stray}"
    assert not mounts, f"mounts left behind: {mounts}"


def build(buildah: Buildah, project: Path, target: str, report: Callable[[str], None]) -> str:
    """`buildah bud` one target; --layers lets the second target reuse the first's stages."""
    name = f"localhost/{read_answers(project)['project_slug']}/{target}:imagetest"
    build_args = {**BUILD_ARGS, "BUILD_DATE": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")}
    started = time.perf_counter()
    buildah(
        "bud",
        "--isolation",
        "chroot",
        "--layers",
        "--pull=never",
        "--file",
        str(DOCKERFILE),
        "--target",
        target,
        *(f"--build-arg={key}={value}" for key, value in build_args.items()),
        "--tag",
        name,
        ".",
        cwd=project,
    )
    report(f"{f'buildah bud --target {target}':<40} {time.perf_counter() - started:7.1f}s  ok")
    return name


def dev_only_packages(project: Path) -> list[str]:
    """What only the dev group brings in, as uv.lock resolves it: none of it may be in an image."""

    def export(group: str) -> set[str]:
        flags = ["--frozen", "--no-hashes", "--no-header", "--no-annotate", "--no-emit-project"]
        output = images.run(["uv", "export", *flags, group], cwd=project).stdout
        return {re.split(r"[=;\s]", line, maxsplit=1)[0] for line in output.splitlines() if line}

    return sorted(export("--only-dev") - export("--no-dev"))


# --- the images -------------------------------------------------------------------------------


@pytest.mark.parametrize("target", TARGETS)
def test_image_config(built: Built, target: str, report: Callable[[str], None]) -> None:
    """Runs as uid 1000, the service by default, and says where it came from (OCI labels)."""
    image = json.loads(built.buildah("inspect", "--type", "image", built.images[target]).stdout)
    config = image["OCIv1"]["config"]
    sizes = layer_sizes(built.buildah, built.images[target])
    base = layer_sizes(built.buildah, built.runtime_base)
    own = sizes[len(base) :]
    report(
        f"{f'image {target}':<40} {sum(sizes) / 1e6:7.1f}MB  ({sum(base) / 1e6:.1f}MB base "
        f"stand-in, {len(own)} layers of its own: {' + '.join(f'{s / 1e6:.1f}' for s in own)}MB)"
    )
    assert config["User"] == UID
    assert config["Cmd"] == [target]
    labels = config["Labels"]
    slug = read_answers(built.project)["project_slug"]
    assert labels["org.opencontainers.image.title"] == f"{slug}-{target}"
    assert labels["org.opencontainers.image.version"] == BUILD_ARGS["VERSION"]
    assert labels["org.opencontainers.image.revision"] == BUILD_ARGS["BUILD_REF"]
    assert labels["org.opencontainers.image.source"] == BUILD_ARGS["SOURCE_URL"]
    assert datetime.strptime(labels["org.opencontainers.image.created"], "%Y-%m-%dT%H:%M:%SZ")
    assert labels["org.opencontainers.image.description"]
    assert f"{target.upper()}_BUILD={BUILD_ARGS['BUILD_REF']}" in config["Env"]


def layer_sizes(buildah: Buildah, image: str) -> list[int]:
    """The image's layers' sizes, uncompressed as stored, base layers first."""
    manifest = json.loads(buildah("inspect", "--type", "image", image).stdout)["Manifest"]
    return [layer["size"] for layer in json.loads(manifest)["layers"]]


@pytest.mark.parametrize("target", TARGETS)
def test_commands_run_as_uid_1000(built: Built, target: str) -> None:
    """The service and the admin tool start in the image and print their settings."""
    service = help_text(built, target, target)
    assert f"[env {target.upper()}_DB_HOST," in service, service
    assert "migrate-seed" in help_text(built, target, "admin")
    migrate = help_text(built, target, "admin", "migrate-seed")
    assert "[env SALES_DB_HOST," in migrate, migrate


def help_text(built: Built, target: str, *command: str) -> str:
    """`command --help` in the image, as one line (argparse wraps to the terminal's width)."""
    return " ".join(built.run(target, *command, "--help").stdout.split())


@pytest.mark.parametrize("target", TARGETS)
def test_image_holds_no_key_and_no_dev_tool(built: Built, target: str, tmp_path: Path) -> None:
    """No private key anywhere, no dev dependency installed, the code compiled to bytecode
    (the root filesystem may be read-only at run time), and /tmp writable by uid 1000."""
    assert find_keys(built, target) == [], f"private keys or key folders in the {target} image"
    # The search finds keys where they belong at run time: mounted, read-only.
    (tmp_path / "k1.pem").write_text(FAKE_KEY, encoding="utf-8")
    mounted = find_keys(built, target, volumes=(f"{tmp_path}:/service/keys:ro",))
    assert mounted == ["/service/keys/", "/service/keys/k1.pem"]
    dev = dev_only_packages(built.project)
    assert "pytest" in dev and "mypy" in dev and "ruff" in dev
    found = json.loads(built.run(target, "python", "-c", IMAGE_REPORT, *dev).stdout)
    assert found["uid"] == 1000
    assert found["python"] == "/service/.venv/bin/python"
    assert found["dev_installed"] == [], f"dev dependencies in the {target} image"
    assert found["dev_importable"] == []
    assert found["sources"] > 0
    assert found["not_compiled"] == []
    assert found["tmp_writable"]


def find_keys(built: Built, target: str, volumes: tuple[str, ...] = ()) -> list[str]:
    output = built.run(target, "python", "-c", FIND_KEYS, user="0:0", volumes=volumes).stdout
    return json.loads(output)


# --- the service, against the machine's Postgres ---------------------------------------------


@pytest.fixture
def database() -> Iterator[dict[str, str]]:
    """A database of its own on the machine's Postgres, as the SALES_DB_* settings."""
    url = urlsplit(os.environ.get("TEST_DATABASE_URL", DEFAULT_DATABASE_URL))
    if shutil.which("psql") is None:
        images.skip_or_fail("psql not found: cannot create the database the service runs on")
    name = f"imgtest_{secrets.token_hex(4)}"
    psql = ["psql", "--no-psqlrc", "--quiet", "--set=ON_ERROR_STOP=1", url.geturl()]
    env = clean_env()
    ready = subprocess.run([*psql, "-c", "select 1"], env=env, capture_output=True, check=False)
    if ready.returncode:
        images.skip_or_fail(f"no Postgres at {url.hostname}:{url.port}: {ready.stderr!r}")
    subprocess.run([*psql, "-c", f"create database {name}"], env=env, check=True)
    try:
        yield {
            "SALES_DB_HOST": url.hostname or "127.0.0.1",
            "SALES_DB_PORT": str(url.port or 5432),
            "SALES_DB_USER": url.username or "postgres",
            "SALES_DB_PASSWORD": url.password or "postgres",
            "SALES_DB_NAME": name,
        }
    finally:
        drop = f"drop database if exists {name} with (force)"
        subprocess.run([*psql, "-c", drop], env=env, check=True)


def free_ports(count: int) -> list[int]:
    found: list[int] = []
    for port in PORTS:
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
        found.append(port)
        if len(found) == count:
            return found
    pytest.fail(f"fewer than {count} free ports in {PORTS.start}-{PORTS.stop - 1}")


def status(url: str) -> int | None:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return None


def test_sales_serves_and_stops_on_sigterm(
    built: Built, database: dict[str, str], tmp_path: Path, report: Callable[[str], None]
) -> None:
    api_port, debug_port = free_ports(2)
    env = {
        **database,
        "SALES_WEB_API_HOST": "127.0.0.1",
        "SALES_WEB_API_PORT": str(api_port),
        "SALES_WEB_DEBUG_HOST": "127.0.0.1",
        "SALES_WEB_DEBUG_PORT": str(debug_port),
        "SALES_WEB_WORKERS": "1",
    }
    built.run("sales", "admin", "migrate-seed", env=env)
    # Every process the service starts inherits this variable: how they are found on the host.
    marker = f"IMAGE_TEST_RUN={secrets.token_hex(8)}"
    name, _, value = marker.partition("=")
    args = run_args(built.containers["sales"], ("sales",), env={**env, name: value})
    log = tmp_path / "sales.log"
    started = time.perf_counter()
    with log.open("w", encoding="utf-8") as output:
        service = subprocess.Popen(
            [*built.buildah.command(), *args],
            env={**clean_env(), **built.buildah.env},
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        urls = [f"http://127.0.0.1:{port}/v1/readiness" for port in (api_port, debug_port)]
        deadline = time.monotonic() + SERVE_TIMEOUT
        while (answers := [status(url) for url in urls]) != [200, 200]:
            if service.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"sales never got ready ({answers}):\n{log.read_text()}")
            time.sleep(0.2)
        report(f"{'sales ready in the image':<40} {time.perf_counter() - started:7.1f}s  ok")
        os.kill(service_main_process(marker), signal.SIGTERM)  # as `docker stop` does
        service.wait(timeout=STOP_TIMEOUT)
        assert service.returncode == 0, log.read_text()
        assert images.wait_until_gone(marker, timeout=5) == []
    finally:
        images.kill_all(images.processes_with(marker))
        if service.poll() is None:
            os.killpg(service.pid, signal.SIGKILL)
            service.wait()


def service_main_process(marker: str) -> int:
    """The command `buildah run` started: the one process with the marker whose parent has none."""
    pids = set(images.processes_with(marker))
    tops = [pid for pid in pids if parent(pid) not in pids]
    assert len(tops) == 1, f"expected one main process, found {tops}"
    return tops[0]


def parent(pid: int) -> int:
    stat = Path(f"/proc/{pid}/stat").read_text(encoding="utf-8")
    return int(stat.rsplit(")", 1)[1].split()[1])
