"""`make images`: local equivalents of the images docker-compose.test.yml names, for engines that cannot pull.

Where the official images (postgres, redis, rabbitmq, MinIO, python) can be pulled, nothing here is
needed. Where they cannot (this project's machines reach Debian's and Python's package registries
only), this builds stand-ins from Debian's packages on a base made with debootstrap, and writes `.env`
beside the compose file so that `docker-compose` run by hand and the suite pick them up through the
file's `${POSTGRES_IMAGE:-postgres:15}`-style variables. Every build is cached by the engine: a second
run with nothing changed takes seconds. The engine is driven with the `docker` package (see README).
"""
from __future__ import annotations

import argparse
import contextlib
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]
CONTAINERS = REPO / "containers"
ENV_FILE = REPO / ".env"
BASE_IMAGE = "shop-local/debian:bookworm"
DEBIAN_MIRROR = "http://deb.debian.org/debian"
DEBOOTSTRAP_TIMEOUT = 600


@dataclass(frozen=True)
class LocalImage:
    variable: str  # the compose file's variable that names the image
    official: str  # its default there: what people with a registry get
    local: str  # the stand-in built here
    context: str  # build context under containers/


# In build order: the S3 stand-in is built on the Python one.
LOCAL_IMAGES = (
    LocalImage("POSTGRES_IMAGE", "postgres:15", "shop-local/postgres:15", "postgres"),
    LocalImage("REDIS_IMAGE", "redis:7", "shop-local/redis:7", "redis"),
    LocalImage("RABBITMQ_IMAGE", "rabbitmq:3", "shop-local/rabbitmq:3", "rabbitmq"),
    LocalImage("PYTHON_IMAGE", "python:3.11-slim", "shop-local/python:3.11", "python"),
    LocalImage("S3_IMAGE", "minio/minio:latest", "shop-local/s3:moto", "s3"),
)
LOCAL_PYTHON = "shop-local/python:3.11"
# Certificate authorities this machine trusts beyond Debian's (e.g. a TLS-inspecting proxy in front of
# the package registry); copied into the build context as local-ca/ for the Python stand-in's pip.
LOCAL_CAS = Path("/usr/local/share/ca-certificates")
# The shop's own image (Dockerfile at the root) is built on PYTHON_IMAGE by whoever runs the shop in a
# container (compose's `--build`, or the suite at the start of such a run, cached), so that it always
# holds the code being tested; `make images` leaves it out, as servers alone need none of it.
SHOP_IMAGE = "shop-acceptance/shop:latest"


class ImageBuildFailed(Exception):
    """An image could not be made; str() says which, why, and what to do."""


def engine():
    import docker

    try:
        client = docker.from_env(timeout=600)
        client.ping()
    except Exception as error:  # DockerException, requests' ConnectionError, OSError alike
        raise ImageBuildFailed(
            f"no Docker engine answered ({_first_line(error)}).\n"
            "Start one (as root: `dockerd &`, or `systemctl start docker`), then run `make images` again."
        ) from None
    return client


def has_image(client, name: str) -> bool:
    import docker

    try:
        client.images.get(name)
        return True
    except docker.errors.ImageNotFound:
        return False


def ensure_base(client, log=print) -> None:
    """Imports a debootstrapped Debian bookworm (minbase) as BASE_IMAGE, unless the engine has it already."""
    if has_image(client, BASE_IMAGE):
        return
    if shutil.which("debootstrap") is None:
        raise ImageBuildFailed(
            f"the base image {BASE_IMAGE} is missing and debootstrap is not installed to make it.\n"
            "Install it (apt-get install debootstrap), or pull the official images instead."
        )
    log(f"images: making {BASE_IMAGE} with debootstrap (about a minute)")
    with tempfile.TemporaryDirectory(prefix="shop-base-") as scratch:
        root = Path(scratch) / "root"
        _run(["debootstrap", "--variant=minbase", "bookworm", str(root), DEBIAN_MIRROR],
             "debootstrap the Debian base", DEBOOTSTRAP_TIMEOUT)
        # The stand-ins install their packages with apt at build time, from the same suites as the host.
        (root / "etc/apt/sources.list").write_text(
            f"deb {DEBIAN_MIRROR} bookworm bookworm-updates main\n"
            "deb http://deb.debian.org/debian-security bookworm-security main\n"
        )
        # Package mirrors that serve a snapshot would otherwise be refused as expired.
        (root / "etc/apt/apt.conf.d/99snapshot-mirrors").write_text('Acquire::Check-Valid-Until "false";\n')
        shutil.rmtree(root / "var/cache/apt/archives", ignore_errors=True)
        tarball = Path(scratch) / "root.tar"
        _run(["tar", "-C", str(root), "-cf", str(tarball), "."], "pack the Debian base", 300)
        repository, tag = BASE_IMAGE.split(":")
        client.api.import_image_from_file(str(tarball), repository=repository, tag=tag,
                                          changes=['CMD ["bash"]'])


def build(client, tag: str, context: Path, buildargs: dict[str, str], dockerfile: str = "Dockerfile") -> str:
    """Builds (or finds in the cache) one image; returns its id. Host networking reaches the package mirrors."""
    import docker

    try:
        image, _logs = client.images.build(path=str(context), dockerfile=dockerfile, tag=tag, buildargs=buildargs,
                                           network_mode="host", rm=True, forcerm=True)
    except docker.errors.BuildError as failed:
        tail = "".join(str(line.get("stream", line.get("error", ""))) for line in failed.build_log)
        tail = "\n".join(tail.strip().splitlines()[-15:])
        raise ImageBuildFailed(f"building {tag} from {context} failed: {failed.msg}\n{tail}") from None
    except docker.errors.APIError as failed:
        raise ImageBuildFailed(f"building {tag} from {context} failed: {_first_line(failed)}") from None
    return image.id


def build_shop_image(client, python_image: str) -> str:
    """The shop's (and the suite's) image from the Dockerfile at the root, on the given Python image."""
    return build(client, SHOP_IMAGE, REPO, {"PYTHON_IMAGE": python_image})


def make_images(log=print) -> dict[str, float]:
    """Builds every stand-in; returns seconds per image, for the closing figures."""
    client = engine()
    timings: dict[str, float] = {}
    try:
        started = time.perf_counter()
        ensure_base(client, log)
        timings[BASE_IMAGE] = time.perf_counter() - started
        for image in LOCAL_IMAGES:
            started = time.perf_counter()
            with _context_with_local_cas(CONTAINERS / image.context) as context:
                build(client, image.local, context, {"BASE_IMAGE": BASE_IMAGE, "PYTHON_IMAGE": LOCAL_PYTHON})
            timings[image.local] = time.perf_counter() - started
            log(f"images: {image.local:<26} ready in {timings[image.local]:5.1f}s (stands in for {image.official})")
    finally:
        client.close()
    write_env_file()
    return timings


def write_env_file(path: Path = ENV_FILE) -> None:
    """`.env` beside the compose file: compose reads it, so hand runs get the stand-ins too."""
    lines = ["# Written by `make images`: the local stand-ins for the official images (delete to use those)."]
    lines += [f"{image.variable}={image.local}" for image in LOCAL_IMAGES]
    path.write_text("\n".join(lines) + "\n")


@contextlib.contextmanager
def _context_with_local_cas(source: Path) -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="shop-image-") as scratch:
        context = Path(scratch) / source.name
        shutil.copytree(source, context)
        (context / "local-ca").mkdir()
        for certificate in sorted(LOCAL_CAS.glob("*.crt")) if LOCAL_CAS.is_dir() else ():
            shutil.copy2(certificate, context / "local-ca" / certificate.name)
        yield context


def _run(command: list[str], purpose: str, timeout: float) -> None:
    try:
        subprocess.run(command, check=True, capture_output=True, text=True, timeout=timeout)
    except subprocess.CalledProcessError as failed:
        tail = "\n".join((failed.stderr or failed.stdout or "").strip().splitlines()[-10:])
        raise ImageBuildFailed(f"could not {purpose} (exit {failed.returncode}):\n{tail}") from None
    except subprocess.TimeoutExpired:
        raise ImageBuildFailed(f"could not {purpose} within {timeout:.0f}s") from None


def _first_line(error: BaseException) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m support.servers.stack.images", description=__doc__.splitlines()[0])
    parser.parse_args(argv)
    started = time.perf_counter()
    try:
        make_images()
    except ImageBuildFailed as failure:
        print(f"make images: {failure}", file=sys.stderr)
        return 1
    print(f"images: all ready in {time.perf_counter() - started:.1f}s; {ENV_FILE.name} names them for compose")
    return 0


if __name__ == "__main__":
    sys.exit(main())
