"""How to run private copies of PostgreSQL, Redis and RabbitMQ from the machine's own binaries.

Each copy lives in the run's temporary directory, listens only on 127.0.0.1 on ports nobody else
uses, reads none of the machine's configuration and is started in its own process group, so a
Ctrl-C in the terminal reaches the suite (which stops them in order) rather than the servers.
"""
from __future__ import annotations

import glob
import os
import pwd
import shutil
import signal
import socket
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from support.servers.stack.services import StackUnavailable

# Debian installs the real RabbitMQ script here; /usr/sbin/rabbitmq-server is a wrapper that re-runs it
# through `su rabbitmq` and sends its output to /var/log, which would escape our directory and control.
RABBITMQ_SCRIPTS = ("/usr/lib/rabbitmq/bin/rabbitmq-server",)
POSTGRES_BIN_GLOB = "/usr/lib/postgresql/*/bin"  # Debian keeps initdb/postgres off PATH
THROWAWAY_POSTGRES = ("fsync=off", "synchronous_commit=off", "full_page_writes=off")


@dataclass(frozen=True)
class Binaries:
    postgres_bin: Path | None  # directory holding both initdb and postgres
    redis_server: str | None
    rabbitmq_server: str | None

    def missing(self) -> list[str]:
        return [name for name, found in (("postgres/initdb", self.postgres_bin), ("redis-server", self.redis_server),
                                         ("rabbitmq-server", self.rabbitmq_server)) if found is None]


def find_binaries() -> Binaries:
    candidates = [Path(found).resolve().parent for found in [shutil.which("postgres")] if found]
    candidates += sorted((Path(d) for d in glob.glob(POSTGRES_BIN_GLOB)), key=_version_key, reverse=True)
    postgres_bin = next((d for d in candidates if (d / "initdb").exists() and (d / "postgres").exists()), None)
    rabbitmq = next((s for s in RABBITMQ_SCRIPTS if os.access(s, os.X_OK)), None) or shutil.which("rabbitmq-server")
    return Binaries(postgres_bin, shutil.which("redis-server"), rabbitmq)


@dataclass
class LocalServer:
    """One running server of this run: its process, how to stop it, and where it writes its log."""

    setting: str  # DATABASE_URL, REDIS_URL or RABBITMQ_URL
    url: str
    process: subprocess.Popen
    stop_signal: int
    logs: list[Path] = field(default_factory=list)

    @property
    def name(self) -> str:
        return {"DATABASE_URL": "PostgreSQL", "REDIS_URL": "Redis", "RABBITMQ_URL": "RabbitMQ"}[self.setting]

    def log_tail(self, lines: int = 25) -> str:
        parts = []
        for log in self.logs:
            if log.is_file():
                tail = log.read_text(errors="replace").splitlines()[-lines:]
                parts.append(f"--- {log} ---\n" + "\n".join(tail))
        return "\n".join(parts) or "(the server wrote no log)"


def free_ports(count: int) -> list[int]:
    """Ports the kernel says are free on 127.0.0.1, all distinct (they are held open together)."""
    sockets = [socket.socket() for _ in range(count)]
    try:
        for held in sockets:
            held.bind(("127.0.0.1", 0))
        return [held.getsockname()[1] for held in sockets]
    finally:
        for held in sockets:
            held.close()


def start_postgres(binaries: Binaries, root: Path, port: int, env: dict[str, str], database: str) -> LocalServer:
    data, sockets, log = root / "pgdata", root / "pgsocket", root / "postgres.log"
    run_as = _postgres_account()
    for directory in (data, sockets):
        directory.mkdir(mode=0o700)
        if run_as:
            os.chown(directory, run_as["user"], run_as["group"])
    initdb = [str(binaries.postgres_bin / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres",
              "--no-sync", "-E", "UTF8", "--locale=C"]
    with open(log, "ab") as out:
        done = subprocess.run(initdb, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                              env=env, cwd=root, timeout=120, **run_as)
    if done.returncode != 0:
        raise StackUnavailable(f"stack=local: initdb failed (exit {done.returncode}); last lines of {log}:\n"
                               + "\n".join(log.read_text(errors="replace").splitlines()[-25:]))
    command = [str(binaries.postgres_bin / "postgres"), "-D", str(data), "-p", str(port), "-k", str(sockets),
               "-c", "listen_addresses=127.0.0.1"]
    for setting in THROWAWAY_POSTGRES:  # a server that is deleted after the run needs no durability
        command += ["-c", setting]
    # SIGINT is PostgreSQL's "fast" shutdown: it does not wait for the suite's connections to close.
    return LocalServer("DATABASE_URL", f"postgresql://postgres@127.0.0.1:{port}/{database}",
                       _launch(command, log, env, root, run_as), signal.SIGINT, [log])


def start_redis(binaries: Binaries, root: Path, port: int, env: dict[str, str], db: int) -> LocalServer:
    directory, log = root / "redis", root / "redis.log"
    directory.mkdir()
    command = [binaries.redis_server, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
               "--appendonly", "no", "--dir", str(directory), "--daemonize", "no",
               "--databases", str(max(16, db + 1))]
    return LocalServer("REDIS_URL", f"redis://127.0.0.1:{port}/{db}",
                       _launch(command, log, env, root, {}), signal.SIGTERM, [log])


def start_rabbitmq(binaries: Binaries, root: Path, ports: dict[str, int], env: dict[str, str]) -> LocalServer:
    home = root / "rabbitmq"
    for directory in ("mnesia", "log"):
        (home / directory).mkdir(parents=True)
    (home / "enabled_plugins").write_text("[].\n")  # no plugins: boots in seconds, opens no extra ports
    (home / "rabbitmq-env.conf").write_text("")  # instead of /etc/rabbitmq/rabbitmq-env.conf
    (home / "rabbitmq.conf").write_text("loopback_users.guest = true\n")  # instead of /etc/rabbitmq/rabbitmq.conf
    node = f"shop-suite-{os.getpid()}-{ports['amqp']}@localhost"
    env = dict(env) | {
        "HOME": str(home),  # where Erlang keeps the node's cookie
        "RABBITMQ_NODENAME": node,
        "RABBITMQ_NODE_IP_ADDRESS": "127.0.0.1",
        "RABBITMQ_NODE_PORT": str(ports["amqp"]),
        "RABBITMQ_DIST_PORT": str(ports["dist"]),
        "RABBITMQ_MNESIA_BASE": str(home / "mnesia"),
        "RABBITMQ_LOG_BASE": str(home / "log"),
        "RABBITMQ_PID_FILE": str(home / "rabbitmq.pid"),
        "RABBITMQ_ENABLED_PLUGINS_FILE": str(home / "enabled_plugins"),
        "RABBITMQ_CONF_ENV_FILE": str(home / "rabbitmq-env.conf"),
        "RABBITMQ_CONFIG_FILE": str(home / "rabbitmq.conf"),
        "RABBITMQ_ADVANCED_CONFIG_FILE": str(home / "advanced.config"),
        "RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS": "-kernel inet_dist_use_interface {127,0,0,1}",
        # A private epmd on its own port: we can kill it afterwards without touching the machine's.
        "ERL_EPMD_PORT": str(ports["epmd"]),
        "ERL_EPMD_ADDRESS": "127.0.0.1",
    }
    log = root / "rabbitmq.log"
    # The script forwards SIGTERM to the Erlang VM as an orderly broker shutdown.
    return LocalServer("RABBITMQ_URL", f"amqp://guest:guest@127.0.0.1:{ports['amqp']}/%2F",
                       _launch([binaries.rabbitmq_server], log, env, root, {}), signal.SIGTERM,
                       [log, home / "log" / f"{node}.log"])


def kill_private_epmd(port: int) -> None:
    """Ask the run's own epmd to exit (what `epmd -port N -kill` sends), without needing the binary."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1) as epmd:
            epmd.sendall(b"\x00\x01k")
            epmd.recv(8)
    except OSError:
        pass  # not running (RabbitMQ never got that far) or already gone


def _launch(command: list[str], log: Path, env: dict[str, str], cwd: Path, run_as: dict) -> subprocess.Popen:
    with open(log, "ab") as out:  # the child keeps its own copy of the descriptor
        return subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                env=env, cwd=cwd, process_group=0, **run_as)


def _postgres_account() -> dict:
    """Arguments for subprocess that drop root privileges: PostgreSQL refuses to run as root."""
    if os.geteuid() != 0:
        return {}
    try:
        account = pwd.getpwnam("postgres")
    except KeyError:
        raise StackUnavailable(
            "stack=local: running as root, and there is no 'postgres' user to run PostgreSQL as "
            "(it refuses to run as root). Create one, or run the suite as a normal user."
        ) from None
    return {"user": account.pw_uid, "group": account.pw_gid, "extra_groups": []}


def _version_key(directory: Path) -> tuple[int, ...]:
    version = directory.parent.name
    return tuple(int(part) for part in version.split(".") if part.isdigit())
