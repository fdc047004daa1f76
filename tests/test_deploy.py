"""The default render's deploy files: Kubernetes, Docker Compose and the observability configs.

- `kubectl kustomize` builds the bases and the dev overlay; every object passes
  kubernetes-validate --strict against the Kubernetes version kind-config.yaml runs.
- Policy over the built objects: probes, requests and limits, non-root, read-only root, pinned
  images, the init container's console script, ports and grace periods.
- The same for deploy/compose/compose.yaml, which also passes the Compose Specification's schema.
- Every environment variable the manifests and compose.yaml set is one the container's command
  reads: its `--help` (run in a synced copy of the render, hence slow) names it.
- promtool accepts every Prometheus config; the dashboard queries only metrics the code defines.

Tools: kubectl (with its built-in kustomize), promtool (Debian's `prometheus`), git and make.
A missing tool skips its tests, except under CI=true, where it fails them.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import sys
import tomllib
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import kubernetes_validate
import pytest
import yaml
from rendering import read_answers

if TYPE_CHECKING:
    from conftest import Runner

Object = dict[str, Any]

DEV = "deploy/k8s/dev"
BASES = ("deploy/k8s/base/sales", "deploy/k8s/base/auth")
KIND_CONFIG = "deploy/k8s/kind-config.yaml"
COMPOSE = "deploy/compose/compose.yaml"
OBSERVABILITY = "deploy/observability"
APPS = ("sales", "auth")

# What `make dev-secret` writes, stood in for by placeholders in the fast tests (kustomize only
# reads the bytes; the slow test runs the real target).
PLACEHOLDER_KID = "00000000-0000-4000-8000-000000000000"
PLACEHOLDER_PEM = "-----BEGIN PRIVATE KEY-----\nplaceholder\n-----END PRIVATE KEY-----\n"

# Variables the code reads outside its config classes (so `--help` does not list them): the
# Kubernetes downward-API details the liveness route reports, and where temp files go.
EXTRA_ENV = ("KUBERNETES_NAME", "KUBERNETES_POD_IP", "KUBERNETES_NODE_NAME", "KUBERNETES_NAMESPACE")
RUNTIME_ENV = ("TMPDIR", "PROMETHEUS_MULTIPROC_DIR")

# Every target the README's Deploy section walks a newcomer through.
MAKE_TARGETS = (
    "compose-up",
    "compose-down",
    "compose-logs",
    "dev-up",
    "dev-down",
    "dev-load",
    "dev-secret",
    "dev-apply",
    "dev-run",
    "dev-restart",
    "dev-update",
    "dev-status",
    "dev-logs",
    "dev-logs-auth",
    "dev-logs-db",
    "dev-describe-sales",
    "dev-describe-auth",
    "dev-describe-db",
    "dev-events",
    "image",
)

WORKLOAD_KINDS = ("Deployment", "StatefulSet", "DaemonSet", "Job")
SUFFIXES = ("_total", "_bucket", "_sum", "_count", "_created")


# --- tools ---------------------------------------------------------------------------------------


def require(tool: str, package: str) -> str:
    """The tool's path; skips the test when it is missing, or fails it under CI=true."""
    path = shutil.which(tool)
    if path:
        return path
    message = f"{tool} is not installed ({package})"
    if os.environ.get("CI") == "true":
        pytest.fail(f"{message}: CI must install it", pytrace=False)
    pytest.skip(message)


def kubectl() -> str:
    return require("kubectl", "kubectl, which bundles kustomize")


# --- the render, with the generated files the dev overlay reads --------------------------------


def write_placeholder_keys(project: Path) -> None:
    keys = project / DEV / "keys"
    (keys / "signing.pem").write_text(PLACEHOLDER_PEM, encoding="utf-8")
    (keys / "signing.env").write_text(f"kid={PLACEHOLDER_KID}\n", encoding="utf-8")


@pytest.fixture(scope="session")
def project(default_render: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the default render with placeholder dev keys (the fresh render has none)."""
    copy = tmp_path_factory.mktemp("deploy") / default_render.name
    shutil.copytree(default_render, copy, symlinks=True)
    write_placeholder_keys(copy)
    return copy


def kustomize(project: Path, run_in_project: Runner, path: str) -> list[Object]:
    build = run_in_project(
        project, [kubectl(), "kustomize", path], label=f"kubectl kustomize {path}"
    )
    return [doc for doc in yaml.safe_load_all(build.output) if doc]


@pytest.fixture(scope="session")
def dev(project: Path, run_in_project: Runner) -> list[Object]:
    return kustomize(project, run_in_project, DEV)


@pytest.fixture(scope="session")
def answers(default_render: Path) -> dict[str, Any]:
    return read_answers(default_render)


def load_yaml(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def kind_config(project: Path) -> Object:
    return load_yaml(project / KIND_CONFIG)


def make_version(project: Path) -> str:
    match = re.search(r"^VERSION \?= (\S+)$", (project / "Makefile").read_text(), re.MULTILINE)
    assert match, "the Makefile sets no `VERSION ?= ...`"
    return match.group(1)


def console_scripts(project: Path) -> set[str]:
    pyproject = tomllib.loads((project / "pyproject.toml").read_text(encoding="utf-8"))
    return set(pyproject["project"]["scripts"])


# --- the objects ---------------------------------------------------------------------------------


def find(objects: list[Object], kind: str, name: str) -> Object:
    for obj in objects:
        if obj["kind"] == kind and obj["metadata"]["name"] == name:
            return obj
    raise AssertionError(f"the build has no {kind} {name}")


def workloads(objects: list[Object]) -> Iterator[tuple[str, Object]]:
    """(name, pod spec) of every workload."""
    for obj in objects:
        if obj["kind"] in WORKLOAD_KINDS:
            yield obj["metadata"]["name"], obj["spec"]["template"]["spec"]


def pod_of(objects: list[Object], name: str) -> Object:
    return dict(workloads(objects))[name]


def containers(pod: Object) -> list[Object]:
    return [*pod.get("initContainers", []), *pod["containers"]]


def effective_security(pod: Object, container: Object) -> Object:
    """The container's security context over the pod's (the container's wins)."""
    return {**pod.get("securityContext", {}), **container.get("securityContext", {})}


def env_names(container: Object, objects: list[Object]) -> set[str]:
    """Every variable the container gets: `env`, and each key of an `envFrom` source with its
    prefix."""
    names = {item["name"] for item in container.get("env", [])}
    for source in container.get("envFrom", []):
        kind, ref = (
            ("ConfigMap", source["configMapRef"])
            if "configMapRef" in source
            else ("Secret", source["secretRef"])
        )
        obj = find(objects, kind, ref["name"])
        keys = {*obj.get("data", {}), *obj.get("stringData", {})}
        names |= {source.get("prefix", "") + key for key in keys}
    return names


def env_values(container: Object) -> dict[str, str]:
    return {item["name"]: item["value"] for item in container.get("env", []) if "value" in item}


def port_number(container: Object, port: int | str) -> int:
    """A probe's or Service's port (a number or a container port's name) as a number."""
    if isinstance(port, int):
        return port
    for item in container.get("ports", []):
        if item.get("name") == port:
            return int(item["containerPort"])
    raise AssertionError(f"container {container['name']} has no port named {port!r}")


def image_tag(image: str) -> str | None:
    name = image.rsplit("/", 1)[-1]
    return name.split(":", 1)[1] if ":" in name else None


def seconds(duration: str) -> float:
    """'20s', '1m', '500ms' (the services' DURATION settings, Compose's durations)."""
    units = {"ms": 0.001, "s": 1, "m": 60, "h": 3600}
    parts = re.findall(r"(\d+(?:\.\d+)?)(ms|s|m|h)", duration)
    assert parts and "".join(n + u for n, u in parts) == duration, f"not a duration: {duration}"
    return sum(float(number) * units[unit] for number, unit in parts)


# --- the image: which command each target runs ---------------------------------------------------


@cache
def dockerfile_stages(project: Path) -> dict[str, list[str]]:
    """The Dockerfile's instructions (continuations joined) by stage name."""
    text = (project / "deploy/docker/Dockerfile").read_text(encoding="utf-8")
    stages: dict[str, list[str]] = {}
    current: list[str] = []
    for line in re.sub(r"\\\n", " ", text).splitlines():
        match = re.match(r"FROM \S+ AS (\S+)", line)
        if match:
            current = stages.setdefault(match.group(1), [])
        elif line.strip() and not line.startswith("#"):
            current.append(line.strip())
    return stages


def image_command(project: Path, slug: str, image: str) -> list[str]:
    """The CMD of the Dockerfile target that `make image` builds as `image`."""
    match = re.fullmatch(rf"{re.escape(slug)}/(\w+):\S+", image)
    assert match, f"{image} is not one of the project's images ({slug}/<target>:<version>)"
    stage = dockerfile_stages(project).get(match.group(1))
    assert stage is not None, f"{image}: the Dockerfile has no target {match.group(1)}"
    commands = [line for line in stage if line.startswith("CMD ")]
    assert commands, f"{image}: its Dockerfile target sets no CMD"
    return json.loads(commands[-1].removeprefix("CMD "))


def command_of(project: Path, slug: str, container: Object) -> list[str]:
    return container.get("command") or image_command(project, slug, container["image"])


# --- what each command reads: its --help (slow: needs the synced project) ------------------------


@dataclass(frozen=True)
class Settings:
    names: frozenset[str]  # every variable the help names
    defaults: dict[str, str]  # variable -> default, for the config's own settings

    def named(self, suffix: str) -> str:
        """The one setting whose variable ends with `suffix`, e.g. _WEB_API_PORT."""
        found = [name for name in self.defaults if name.endswith(suffix)]
        assert len(found) == 1, f"settings ending {suffix}: {found}"
        return found[0]

    def value(self, suffix: str, env: dict[str, str]) -> str:
        name = self.named(suffix)
        return env.get(name, self.defaults[name])


def parse_help(text: str) -> Settings:
    flat = " ".join(text.split())  # argparse wraps lines anywhere between words
    defaults = dict(re.findall(r"\[env ([A-Z][A-Z0-9_]*), default '([^']*)'\]", flat))
    names = frozenset(re.findall(r"\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b", flat))
    return Settings(names | frozenset(defaults), defaults)


def test_parse_help() -> None:
    text = (
        "  --web-api-port INT    port the API listens on [env SALES_WEB_API_PORT,\n"
        "                        default '3000']\n"
        "Tracing also reads the standard OpenTelemetry variables: OTEL_SDK_DISABLED,\n"
        "OTEL_SERVICE_NAME. Variables start with SALES_. Stops on SIGTERM/SIGINT."
    )
    settings = parse_help(text)
    assert settings.defaults == {"SALES_WEB_API_PORT": "3000"}
    assert {"SALES_WEB_API_PORT", "OTEL_SDK_DISABLED", "OTEL_SERVICE_NAME"} <= settings.names
    assert "SIGTERM" not in settings.names
    assert settings.value("_WEB_API_PORT", {"SALES_WEB_API_PORT": "8080"}) == "8080"


@pytest.fixture(scope="session")
def synced(
    default_render: Path, tmp_path_factory: pytest.TempPathFactory, run_in_project: Runner
) -> Path:
    """A copy of the default render with `uv sync --locked` run once, for every --help."""
    copy = tmp_path_factory.mktemp("deploy-synced") / default_render.name
    shutil.copytree(default_render, copy, symlinks=True)
    sync = run_in_project(copy, ["uv", "sync", "--locked"], timeout=900, check=False)
    if sync.failure:
        pytest.fail(sync.describe(copy), pytrace=False)
    return copy


@pytest.fixture(scope="session")
def settings_of(synced: Path, run_in_project: Runner) -> Callable[[list[str]], Settings]:
    """The settings a command reads, from `uv run COMMAND --help`."""
    known: dict[tuple[str, ...], Settings] = {}

    def settings(command: list[str]) -> Settings:
        key = tuple(command)
        if key not in known:
            args = ["uv", "run", *command, "--help"]
            known[key] = parse_help(run_in_project(synced, args, label=shlex.join(args)).output)
            assert known[key].defaults, f"`{shlex.join(args)}` lists no settings"
        return known[key]

    return settings


@pytest.fixture(scope="session")
def extra_env(default_render: Path) -> set[str]:
    """EXTRA_ENV, each checked to be read somewhere in the code."""
    source = "\n".join(
        path.read_text(encoding="utf-8") for path in (default_render / "src").rglob("*.py")
    )
    unread = [name for name in EXTRA_ENV if f'"{name}"' not in source]
    assert not unread, f"EXTRA_ENV names variables no code reads: {unread}"
    return {*EXTRA_ENV, *RUNTIME_ENV}


# --- Kubernetes: build and validate --------------------------------------------------------------


def kubernetes_version(project: Path) -> str:
    """The minor version of the kind node image, e.g. kindest/node:v1.36.1 -> 1.36.0."""
    images = {node["image"] for node in kind_config(project)["nodes"]}
    assert len(images) == 1, f"kind-config.yaml: one pinned node image expected, got {images}"
    match = re.fullmatch(r"kindest/node:v(\d+)\.(\d+)\.\d+", images.pop())
    assert match, "kind-config.yaml: the node image must be kindest/node:vX.Y.Z"
    major, minor = int(match.group(1)), int(match.group(2))
    assert (major, minor) >= (1, 32), "validate against a current Kubernetes (1.32 or later)"
    return f"{major}.{minor}.0"


@pytest.mark.parametrize("path", [*BASES, DEV])
def test_kustomize_builds_valid_objects(
    path: str, project: Path, run_in_project: Runner, report: Callable[[str], None]
) -> None:
    version = kubernetes_version(project)
    objects = kustomize(project, run_in_project, path)
    assert objects, f"{path} builds nothing"
    problems = []
    for obj in objects:
        try:
            kubernetes_validate.validate(obj, version, strict=True)
        except kubernetes_validate.ValidationError as err:
            problems.append(f"{obj['kind']}/{obj['metadata']['name']}: {err.message}")
    assert not problems, f"{path} against Kubernetes {version}:\n  " + "\n  ".join(problems)
    counts = Counter(obj["kind"] for obj in objects)
    report(
        f"{path}: {len(objects)} objects valid for Kubernetes {version} "
        f"(kubernetes-validate {kubernetes_validate.version.__version__}, strict): "
        + ", ".join(f"{count} {kind}" for kind, count in sorted(counts.items()))
    )


def test_dev_is_the_whole_environment(dev: list[Object], answers: dict[str, Any]) -> None:
    namespace = answers["project_slug"]
    find(dev, "Namespace", namespace)
    database = find(dev, "StatefulSet", "database")
    assert database["spec"]["volumeClaimTemplates"], "Postgres keeps its data on a PVC"
    find(dev, "Service", "database")
    for name in (*APPS, "prometheus", "grafana", "tempo", "loki", "alloy"):
        find(dev, "Deployment", name)
    for name in (*APPS, "prometheus", "grafana", "tempo", "loki"):
        find(dev, "Service", name)
    kinds = {obj["kind"] for obj in dev}
    assert {"ConfigMap", "Secret"} <= kinds
    secrets = {obj["metadata"]["name"].rsplit("-", 1)[0] for obj in dev if obj["kind"] == "Secret"}
    assert {"auth-keys", "database"} <= secrets
    outside = [
        f"{obj['kind']}/{obj['metadata']['name']}"
        for obj in dev
        if obj["kind"] != "Namespace" and obj["metadata"].get("namespace") != namespace
    ]
    assert not outside, f"objects outside the namespace {namespace}: {outside}"


def test_references_resolve(dev: list[Object]) -> None:
    """Every ConfigMap, Secret and ServiceAccount a pod names is in the build, and every
    Service selects a pod and targets ports it has."""
    names = {(obj["kind"], obj["metadata"]["name"]) for obj in dev}
    missing = []
    for workload, pod in workloads(dev):
        wanted = (
            [("ServiceAccount", pod["serviceAccountName"])] if "serviceAccountName" in pod else []
        )
        for volume in pod.get("volumes", []):
            if "configMap" in volume:
                wanted.append(("ConfigMap", volume["configMap"]["name"]))
            if "secret" in volume:
                wanted.append(("Secret", volume["secret"]["secretName"]))
        for container in containers(pod):
            for source in container.get("envFrom", []):
                if "configMapRef" in source:
                    wanted.append(("ConfigMap", source["configMapRef"]["name"]))
                if "secretRef" in source:
                    wanted.append(("Secret", source["secretRef"]["name"]))
            for item in container.get("env", []):
                ref = item.get("valueFrom", {})
                if "configMapKeyRef" in ref:
                    wanted.append(("ConfigMap", ref["configMapKeyRef"]["name"]))
                if "secretKeyRef" in ref:
                    wanted.append(("Secret", ref["secretKeyRef"]["name"]))
        missing += [
            f"{workload}: {kind} {name}" for kind, name in wanted if (kind, name) not in names
        ]
    assert not missing, f"references to objects the build lacks: {missing}"

    templates = [obj["spec"]["template"] for obj in dev if obj["kind"] in WORKLOAD_KINDS]
    for service in (obj for obj in dev if obj["kind"] == "Service"):
        selector = service["spec"]["selector"].items()
        selected = [t["spec"] for t in templates if selector <= t["metadata"]["labels"].items()]
        assert selected, f"Service {service['metadata']['name']} selects no pod"
        for port in service["spec"]["ports"]:
            for pod in selected:
                assert any(
                    _has_port(container, port.get("targetPort", port["port"]))
                    for container in pod["containers"]
                ), f"Service {service['metadata']['name']}: no container port {port}"


def _has_port(container: Object, port: int | str) -> bool:
    return any(
        item.get("name") == port or item["containerPort"] == port
        for item in container.get("ports", [])
    )


# --- Kubernetes: policy --------------------------------------------------------------------------


def test_every_pod_is_hardened_and_bounded(dev: list[Object]) -> None:
    """All pods, the observability stack's too: what the namespace's "restricted" Pod Security
    Standard demands, plus a read-only root, resources and a readiness probe."""
    problems = []
    for workload, pod in workloads(dev):
        for container in containers(pod):
            where = f"{workload}/{container['name']}"
            security = effective_security(pod, container)
            if security.get("runAsNonRoot") is not True:
                problems.append(f"{where}: runAsNonRoot is not true")
            if security.get("runAsUser", 1) == 0:
                problems.append(f"{where}: runs as uid 0")
            if security.get("allowPrivilegeEscalation") is not False:
                problems.append(f"{where}: allowPrivilegeEscalation is not false")
            if security.get("readOnlyRootFilesystem") is not True:
                problems.append(f"{where}: the root filesystem is writable")
            if security.get("capabilities", {}).get("drop") != ["ALL"]:
                problems.append(f"{where}: capabilities are not all dropped")
            if security.get("seccompProfile", {}).get("type") != "RuntimeDefault":
                problems.append(f"{where}: no RuntimeDefault seccomp profile")
            resources = container.get("resources", {})
            for bound in ("requests", "limits"):
                for resource in ("cpu", "memory"):
                    if resource not in resources.get(bound, {}):
                        problems.append(f"{where}: no {resource} {bound}")
        for container in pod["containers"]:
            if "readinessProbe" not in container:
                problems.append(f"{workload}/{container['name']}: no readiness probe")
    assert not problems, "\n  ".join(["pods that break the policy:", *problems])


def test_images_are_pinned(dev: list[Object], project: Path, answers: dict[str, Any]) -> None:
    """No `latest`, no untagged image; the services' images are the ones `make image` builds."""
    slug, version = answers["project_slug"], make_version(project)
    for workload, pod in workloads(dev):
        for container in containers(pod):
            image = container["image"]
            tag = image_tag(image)
            assert tag and tag != "latest", f"{workload}: image {image} is not pinned by tag"
            if image.startswith(f"{slug}/"):
                assert tag == version, f"{workload}: {image}, but `make image` tags {version}"


def cpu_cores(quantity: str) -> float:
    return float(quantity[:-1]) / 1000 if quantity.endswith("m") else float(quantity)


@pytest.mark.parametrize("app", APPS)
def test_app_pod(app: str, dev: list[Object], project: Path, answers: dict[str, Any]) -> None:
    pod = pod_of(dev, app)
    slug = answers["project_slug"]
    scripts = console_scripts(project)

    # Migrations run before the service, with a console script the image installs.
    inits = pod.get("initContainers", [])
    assert [init["command"] for init in inits] == [["admin", "migrate-seed"]]
    assert inits[0]["command"][0] in scripts, f"admin is not in [project.scripts]: {scripts}"
    assert inits[0]["image"] == pod["containers"][0]["image"], "migrations ship with the service"

    (container,) = pod["containers"]
    assert command_of(project, slug, container) == [app]
    assert app in scripts

    # The worker count follows the CPU limit (rounded up): a whole number of CPUs.
    cpu = cpu_cores(container["resources"]["limits"]["cpu"])
    assert cpu >= 1 and cpu.is_integer(), f"{app}: CPU limit {cpu} is not a whole number"

    # /tmp is writable (temp files, the metrics' multiprocess directory) on a read-only root.
    volumes = {volume["name"]: volume for volume in pod["volumes"]}
    for each in containers(pod):
        tmp = [mount for mount in each.get("volumeMounts", []) if mount["mountPath"] == "/tmp"]
        assert tmp and "emptyDir" in volumes[tmp[0]["name"]], f"{each['name']}: /tmp emptyDir"

    assert container["readinessProbe"]["httpGet"]["path"] == "/v1/readiness"
    assert container["livenessProbe"]["httpGet"]["path"] == "/v1/liveness"

    security = effective_security(pod, container)
    assert security.get("runAsUser") == 1000, "the image's user is uid 1000"
    # The service drains by itself after SIGTERM (its _WEB_DRAIN_PERIOD): no preStop sleep.
    assert "lifecycle" not in container, f"{app}: a preStop hook would delay the drain"


def test_dev_secret_keeps_the_kid(dev: list[Object]) -> None:
    """The key file mounted in the auth pod is named after the kid `make dev-secret` records."""
    (keys,) = [volume for volume in pod_of(dev, "auth")["volumes"] if volume["name"] == "keys"]
    items = keys["secret"]["items"]
    assert items == [{"key": "signing.pem", "path": f"{PLACEHOLDER_KID}.pem"}]
    assert not any(obj["metadata"]["name"].startswith("auth-signing-kid") for obj in dev), (
        "the kid's ConfigMap only feeds the replacement; it must not be applied"
    )


def test_keys_are_never_committed(project: Path, run_in_project: Runner) -> None:
    """With keys generated, none of them is a file git would add."""
    require("git", "git")
    copy = project.parent / "git-check"
    shutil.copytree(project, copy, symlinks=True)
    (copy / "deploy/keys" / f"{PLACEHOLDER_KID}.pem").write_text(PLACEHOLDER_PEM)
    run_in_project(copy, ["git", "init", "--quiet"], label="git init")
    status = run_in_project(
        copy, ["git", "status", "--porcelain", "--untracked-files=all"], label="git status"
    ).output
    leaked = [line for line in status.splitlines() if ".pem" in line or "signing" in line]
    assert not leaked, f"git would commit keys: {leaked}"
    assert f"?? {DEV}/keys/.gitignore" in status.splitlines()


def test_kind_maps_node_ports_to_the_same_local_ports(project: Path, dev: list[Object]) -> None:
    """localhost:PORT reaches what listens on PORT in the pod (3000 is the sales API in the
    cluster as on the laptop), and every node port is mapped."""
    (node,) = kind_config(project)["nodes"]
    mappings = {m["containerPort"]: m for m in node["extraPortMappings"]}
    templates = (obj["spec"]["template"] for obj in dev if obj["kind"] in WORKLOAD_KINDS)
    pods = {t["metadata"]["labels"]["app.kubernetes.io/name"]: t["spec"] for t in templates}
    node_ports = []
    for service in (obj for obj in dev if obj["kind"] == "Service"):
        if service["spec"].get("type") != "NodePort":
            continue
        (container, *_) = pods[service["spec"]["selector"]["app.kubernetes.io/name"]]["containers"]
        for port in service["spec"]["ports"]:
            node_ports.append(port["nodePort"])
            mapping = mappings.get(port["nodePort"])
            assert mapping, f"kind-config.yaml does not map node port {port['nodePort']}"
            assert mapping["hostPort"] == port_number(container, port["targetPort"])
            assert mapping.get("listenAddress") == "127.0.0.1", "dev ports stay on localhost"
    assert sorted(node_ports) == sorted(mappings), "kind maps node ports no Service uses"


def urls(text: str) -> list[tuple[str, int]]:
    """(host, port) of each http://host:port in `text`, host a name (not an address)."""
    return [
        (host, int(port))
        for host, port in re.findall(r"https?://([a-z][a-z0-9-]*):(\d+)", text)
        if host != "localhost"
    ]


def test_dev_urls_name_services(dev: list[Object]) -> None:
    """Every http://name:port in the ConfigMaps and the containers' env is a Service's port
    (Grafana's data sources, Alloy's Loki, the services' Tempo and auth)."""
    ports = {
        (obj["metadata"]["name"], port["port"])
        for obj in dev
        if obj["kind"] == "Service"
        for port in obj["spec"]["ports"]
    }
    texts = [value for obj in dev if obj["kind"] == "ConfigMap" for value in obj["data"].values()]
    texts += [
        value
        for _, pod in workloads(dev)
        for container in containers(pod)
        for value in env_values(container).values()
    ]
    found = [url for text in texts for url in urls(text)]
    assert ("tempo", 4317) in found and ("loki", 3100) in found and ("auth", 6000) in found
    unknown = sorted({url for url in found if url not in ports})
    assert not unknown, f"URLs with no Service port behind them: {unknown}"


# --- Kubernetes: the settings are ones the services read (slow) -----------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("app", APPS)
def test_app_env_and_ports_are_read(
    app: str,
    dev: list[Object],
    project: Path,
    answers: dict[str, Any],
    settings_of: Callable[[list[str]], Settings],
    extra_env: set[str],
) -> None:
    """The reference's manifests set variables its config ignores: here every variable set on
    an app container (init container included) is one its command's --help names."""
    pod = pod_of(dev, app)
    for container in containers(pod):
        command = command_of(project, answers["project_slug"], container)
        settings = settings_of(command)
        unread = sorted(env_names(container, dev) - settings.names - extra_env)
        assert not unread, f"{app}/{container['name']} ({shlex.join(command)}) ignores {unread}"

    (container,) = pod["containers"]
    settings = settings_of(command_of(project, answers["project_slug"], container))
    env = env_values(container)
    workers = settings.named("_WEB_WORKERS")
    assert workers not in env_names(container, dev), f"{workers} is set: let the CPU limit decide"

    api = int(settings.value("_WEB_API_PORT", env))
    debug = int(settings.value("_WEB_DEBUG_PORT", env))
    declared = {port["name"]: port["containerPort"] for port in container["ports"]}
    assert declared == {"api": api, "debug": debug}, f"{app}: ports {declared} vs config"
    for probe in ("readinessProbe", "livenessProbe"):
        assert port_number(container, container[probe]["httpGet"]["port"]) in (api, debug)

    # After SIGTERM readiness fails for the drain period while requests are still served:
    # the probe must see it fail often enough to take the pod out before the listener closes,
    # and the grace period must cover the drain and the in-flight requests' shutdown timeout.
    shutdown = seconds(settings.value("_WEB_SHUTDOWN_TIMEOUT", env))
    drain = seconds(settings.value("_WEB_DRAIN_PERIOD", env))
    probe = container["readinessProbe"]
    noticed = probe.get("periodSeconds", 10) * probe.get("failureThreshold", 3)
    assert 0 < noticed < drain, f"{app}: readiness fails {noticed}s into a {drain}s drain"
    grace = pod["terminationGracePeriodSeconds"]
    assert grace > drain + shutdown, f"{app}: grace {grace}s <= drain {drain}s + {shutdown}s"


@pytest.mark.slow
def test_make_dev_secret_feeds_the_overlay(
    synced: Path, run_in_project: Runner, report: Callable[[str], None]
) -> None:
    """From a render with no key: `make dev-secret` generates one (make keys) and writes what
    the secretGenerator reads; the auth pod mounts it named after its kid."""
    require("make", "make")
    run_in_project(synced, ["make", "dev-secret"], label="make dev-secret")
    (key,) = (synced / "deploy/keys").glob("*.pem")
    auth = pod_of(kustomize(synced, run_in_project, DEV), "auth")
    (keys,) = [volume for volume in auth["volumes"] if volume["name"] == "keys"]
    assert keys["secret"]["items"] == [{"key": "signing.pem", "path": key.name}]
    written = (synced / DEV / "keys/signing.pem").read_bytes()
    assert written == key.read_bytes()
    report(f"make dev-secret: the cluster's key is {key.name}")


# --- Docker Compose ------------------------------------------------------------------------------


def compose_file(project: Path) -> Object:
    return load_yaml(project / COMPOSE)


def interpolate(value: str) -> str:
    """Compose's ${VAR:-default} and ${VAR-default}, with no variable set."""
    return re.sub(r"\$\{\w+:?-([^}]*)\}", r"\1", value)


def compose_env(service: Object, compose_dir: Path) -> dict[str, str]:
    env: dict[str, str] = {}
    for env_file in service.get("env_file", []):
        for line in (compose_dir / env_file).read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.startswith("#"):
                name, _, value = line.partition("=")
                env[name] = value
    environment = service.get("environment", {})
    if isinstance(environment, list):
        environment = dict(item.partition("=")[::2] for item in environment)
    env.update({name: str(value) for name, value in environment.items()})
    return env


def test_compose_matches_the_compose_spec(project: Path, run_in_project: Runner) -> None:
    """The Compose Specification's JSON schema, as check-jsonschema vendors it."""
    args = [sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.compose-spec"]
    run_in_project(project, [*args, COMPOSE], label="check-jsonschema compose-spec")


def test_compose_services(project: Path, answers: dict[str, Any]) -> None:
    compose = compose_file(project)
    services = compose["services"]
    slug, version = answers["project_slug"], make_version(project)
    compose_dir = (project / COMPOSE).parent

    # Pinned images; the services' are the ones `make image` builds.
    for name, service in services.items():
        image = interpolate(service["image"])
        tag = image_tag(image)
        assert tag and tag != "latest", f"{name}: image {image} is not pinned by tag"
        if image.startswith(f"{slug}/"):
            assert tag == version, f"{name}: {image}, but `make image` tags {version}"

    # Postgres healthy -> migrate-seed succeeded -> auth healthy -> sales.
    assert "healthcheck" in services["database"]
    assert services["migrate-seed"]["command"] == ["admin", "migrate-seed"]
    assert services["migrate-seed"]["depends_on"]["database"]["condition"] == "service_healthy"
    for app in APPS:
        condition = services[app]["depends_on"]["migrate-seed"]["condition"]
        assert condition == "service_completed_successfully"
        assert "healthcheck" in services[app]
        assert services[app].get("read_only") is True
        assert services[app].get("cap_drop") == ["ALL"]
    assert services["sales"]["depends_on"]["auth"]["condition"] == "service_healthy"

    # The keys: deploy/keys, read-only, where the auth service looks for them.
    keys = [v for v in services["auth"]["volumes"] if v.split(":")[0] == "../keys"]
    assert len(keys) == 1 and keys[0].endswith(":ro"), "auth mounts ../keys read-only"
    folder = keys[0].split(":")[1]
    assert compose_env(services["auth"], compose_dir)["AUTH_AUTH_KEYS_FOLDER"] == folder
    assert (compose_dir / "../keys").resolve() == (project / "deploy/keys").resolve()

    # Every file or folder mounted from the project exists.
    for name, service in services.items():
        for volume in service.get("volumes", []):
            source = volume.split(":")[0]
            if source.startswith("."):
                assert (compose_dir / source).exists(), f"{name}: {source} does not exist"

    # Every http://name:port in the services' env and mounted configs is a Compose service.
    texts = [v for service in services.values() for v in compose_env(service, compose_dir).values()]
    texts += [
        (compose_dir / volume.split(":")[0]).read_text(encoding="utf-8")
        for service in services.values()
        for volume in service.get("volumes", [])
        if volume.startswith(".") and (compose_dir / volume.split(":")[0]).is_file()
    ]
    unknown = sorted({host for text in texts for host, _ in urls(text) if host not in services})
    assert not unknown, f"URLs naming no Compose service: {unknown}"


@pytest.mark.slow
def test_compose_env_and_ports_are_read(
    project: Path,
    answers: dict[str, Any],
    settings_of: Callable[[list[str]], Settings],
    extra_env: set[str],
) -> None:
    compose = compose_file(project)
    compose_dir = (project / COMPOSE).parent
    slug = answers["project_slug"]
    for name in ("migrate-seed", *APPS):
        service = compose["services"][name]
        command = service.get("command") or image_command(
            project, slug, interpolate(service["image"])
        )
        settings = settings_of(command)
        env = compose_env(service, compose_dir)
        unread = sorted(set(env) - settings.names - extra_env)
        assert not unread, f"{name} ({shlex.join(command)}) ignores {unread}"
        if name not in APPS:
            continue
        api = int(settings.value("_WEB_API_PORT", env))
        debug = int(settings.value("_WEB_DEBUG_PORT", env))
        for published in service["ports"]:
            *_, host, inside = published.split(":")
            assert int(inside) in (api, debug), f"{name}: publishes {inside}, not a service port"
            assert host == inside, f"{name}: {published}: localhost should match the service"
        health = str(service["healthcheck"]["test"])
        health_ports = {int(port) for port in re.findall(r"127\.0\.0\.1:(\d+)", health)}
        assert health_ports and health_ports <= {api, debug}, f"{name}: healthcheck {health_ports}"
        assert settings.named("_WEB_WORKERS") not in env
        shutdown = seconds(settings.value("_WEB_SHUTDOWN_TIMEOUT", env))
        drain = seconds(settings.value("_WEB_DRAIN_PERIOD", env))
        assert seconds(service["stop_grace_period"]) > drain + shutdown


# --- observability -------------------------------------------------------------------------------


def prometheus_configs(project: Path) -> list[Path]:
    configs = sorted((project / OBSERVABILITY / "prometheus").glob("*.yml"))
    assert configs, "no Prometheus config"
    return configs


def test_promtool_accepts_the_prometheus_configs(
    project: Path, run_in_project: Runner, report: Callable[[str], None]
) -> None:
    promtool = require("promtool", "Debian's prometheus package")
    for config in prometheus_configs(project):
        rel = config.relative_to(project)
        run = run_in_project(
            project, [promtool, "check", "config", str(rel)], label=f"promtool {rel}"
        )
        report(f"promtool check config {rel}: {run.output.strip().splitlines()[-1].strip()}")


def test_prometheus_scrapes_the_debug_ports(project: Path, dev: list[Object]) -> None:
    """Each job is a service, scraped on the port its pods declare as `debug`; in the cluster
    through the headless `<service>-debug` Service."""
    debug_ports = {app: port_number(pod_of(dev, app)["containers"][0], "debug") for app in APPS}
    for config in prometheus_configs(project):
        jobs = {job["job_name"]: job for job in load_yaml(config)["scrape_configs"]}
        assert set(jobs) == set(APPS), f"{config.name}: jobs {sorted(jobs)}"
        for app, job in jobs.items():
            assert job.get("metrics_path", "/metrics") == "/metrics"
            for static in job.get("static_configs", []):
                assert static["targets"] == [f"{app}:{debug_ports[app]}"]
            for dns in job.get("dns_sd_configs", []):
                assert dns["port"] == debug_ports[app] and dns["names"] == [f"{app}-debug"]
                service = find(dev, "Service", f"{app}-debug")
                assert service["spec"]["clusterIP"] == "None", "one target per pod needs headless"


def dashboard(project: Path) -> Object:
    return json.loads(
        (project / OBSERVABILITY / "grafana/dashboards/service.json").read_text(encoding="utf-8")
    )


def panels(dash: Object) -> Iterator[Object]:
    for panel in dash["panels"]:
        yield panel
        yield from panel.get("panels", [])


def test_dashboard_queries_metrics_the_code_defines(project: Path) -> None:
    """Every metric a Prometheus query selects (always written `name{...}` or `name[...]`) is
    defined in the code, or is one of prometheus-client's process_* metrics."""
    source = "\n".join(path.read_text(encoding="utf-8") for path in (project / "src").rglob("*.py"))
    queries = prometheus_queries(project)
    assert queries
    metrics = {
        name for query in queries for name in re.findall(r"\b([a-z_:][a-z0-9_:]*)[{\[]", query)
    }
    for wanted in ("http_requests_total", "http_request_duration_seconds_bucket", "db_pool_in_use"):
        assert wanted in metrics, f"the dashboard does not show {wanted}"
    undefined = sorted(
        name
        for name in metrics
        if not name.startswith("process_")
        and not any(f'"{name.removesuffix(suffix)}"' in source for suffix in ("", *SUFFIXES))
    )
    assert not undefined, f"the dashboard queries metrics no code defines: {undefined}"


# Labels every scraped series has, besides its own: Prometheus's target labels and the bucket.
TARGET_LABELS = {"job", "instance", "le"}


def test_dashboard_uses_the_metrics_labels(project: Path) -> None:
    """Labels a query groups or filters by are ones its metrics have, for every metric the code
    declares with prometheus-client's Counter, Gauge or Histogram."""
    source = "\n".join(path.read_text(encoding="utf-8") for path in (project / "src").rglob("*.py"))
    declared = {
        name: set(re.findall(r'"(\w+)"', labels))
        for name, labels in re.findall(
            r'\b(?:Counter|Gauge|Histogram)\(\s*"(\w+)",\s*"[^"]*"(?:,\s*(\[[^\]]*\]))?', source
        )
    }
    assert declared.get("http_requests") == {"method", "route", "status"}, "parsed no metrics?"
    problems = []
    for query in prometheus_queries(project):
        names = re.findall(r"\b([a-z_:][a-z0-9_:]*)[{\[]", query)
        bases = [next((b for b in _bases(name) if b in declared), None) for name in names]
        if None in bases:
            continue  # a metric with labels set at scrape time (build_info, process_*)
        known = TARGET_LABELS.union(*(declared[base] for base in bases if base))
        used = {
            label.strip()
            for group in re.findall(r"\bby\s*\(([^)]*)\)", query)
            for label in group.split(",")
        }
        used |= set(re.findall(r"(\w+)\s*(?:=~|!~|!=|=)\s*\"", query))
        if used - known:
            problems.append(f"{sorted(used - known)} in {query}")
    assert not problems, "labels the metrics do not have:\n  " + "\n  ".join(problems)


def _bases(name: str) -> list[str]:
    return [name.removesuffix(suffix) for suffix in ("", *SUFFIXES) if name.endswith(suffix)]


# Grafana's variables in the queries, as Grafana would substitute them.
GRAFANA_VARIABLES = {"$__rate_interval": "1m", "$__range": "1h", "$service": "sales|auth"}


def prometheus_queries(project: Path) -> list[str]:
    return [
        target["expr"]
        for panel in panels(dashboard(project))
        for target in panel.get("targets", [])
        if target.get("datasource", panel.get("datasource", {})).get("type") == "prometheus"
    ]


def test_promtool_parses_the_dashboard_queries(
    project: Path, run_in_project: Runner, tmp_path: Path
) -> None:
    """Each query, its Grafana variables substituted, as a recording rule `promtool check rules`
    parses."""
    promtool = require("promtool", "Debian's prometheus package")
    rules = []
    for number, query in enumerate(prometheus_queries(project)):
        for variable, value in GRAFANA_VARIABLES.items():
            query = query.replace(variable, value)
        rules.append({"record": f"dashboard:query_{number}", "expr": query})
    path = tmp_path / "dashboard-rules.yml"
    path.write_text(yaml.safe_dump({"groups": [{"name": "dashboard", "rules": rules}]}))
    run_in_project(project, [promtool, "check", "rules", str(path)], label="promtool check rules")


def test_dashboard_uses_provisioned_data_sources(project: Path) -> None:
    provisioned = load_yaml(project / OBSERVABILITY / "grafana/provisioning/datasources.yaml")
    uids = {source["uid"] for source in provisioned["datasources"]}
    used = {
        source["uid"]
        for panel in panels(dashboard(project))
        for source in [
            panel.get("datasource"),
            *(t.get("datasource") for t in panel.get("targets", [])),
        ]
        if source
    }
    assert used and used <= uids, f"data sources not provisioned: {sorted(used - uids)}"
    text = (project / OBSERVABILITY / "grafana/dashboards/service.json").read_text()
    assert not re.search(r"\{\{|\}\}|\{%|%\}", text), (
        "Jinja-like delimiters in the dashboard (use ${__field.labels.x}, not {{x}})"
    )


# --- make ----------------------------------------------------------------------------------------


def test_make_targets(project: Path, run_in_project: Runner) -> None:
    make = require("make", "make")
    listed = run_in_project(project, [make, "help"], label="make help").output
    missing = [t for t in MAKE_TARGETS if not re.search(rf"^\s+{t}\s", listed, re.MULTILINE)]
    assert not missing, f"`make help` does not list {missing}"
    dry = run_in_project(project, [make, "--dry-run", "dev-apply", "compose-up"], label="make -n")
    assert f"apply --kustomize {DEV}" in dry.output
    assert f"docker compose --file {COMPOSE}" in dry.output
