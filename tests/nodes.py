"""Production-mode instances of the portal for the tests and the benchmark: real gunicorn processes on 127.0.0.1.

An `Instance` is what one deployment owns: its database (a new PostgreSQL database, or a SQLite file), its media
folders and its environment, in production mode (DEBUG off, collected static files, the real settings module).
It starts any number of gunicorn `Node`s sharing all of it, like web servers behind a load balancer:

    with Instance(database="postgres", cache_url="redis://127.0.0.1:6379/5") as instance:
        instance.manage("load_initial_content")
        first, second = instance.start_node(), instance.start_node()
        first.get("/sante/")

Everything lives in a temporary folder and, for PostgreSQL, a database of its own that is dropped at the end.
"""

import http.client
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG_ADMIN_URL = os.environ.get("NODES_PG_ADMIN_URL", "postgres://postgres@127.0.0.1:5432/postgres")
_collected_static = None  # one collectstatic per test session: it takes a few seconds


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def collected_static() -> Path:
    """STATIC_ROOT filled once by collectstatic (manifest and compressed files, as in production)."""
    global _collected_static
    if _collected_static is None:
        folder = Path(tempfile.mkdtemp(prefix="langres-static-"))
        env = production_env(database_url=f"sqlite:///{folder / 'unused.sqlite3'}", static_root=folder / "static")
        run_manage(env, "collectstatic", "--noinput", "--verbosity", "0")
        _collected_static = folder / "static"
    return _collected_static


def production_env(database_url: str, static_root: Path, **extra) -> dict:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST", "NODES_"))}
    base.pop("DATABASE_URL", None)
    base.pop("CACHE_URL", None)
    return {
        **base,
        "DJANGO_SETTINGS_MODULE": "langres_portal.settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_HTTPS": "0",  # plain http://127.0.0.1: the settings that only make sense over TLS are off
        "DJANGO_SECRET_KEY": "nodes-" + secrets.token_urlsafe(40),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_LOG_LEVEL": "WARNING",
        "DJANGO_STATIC_ROOT": str(static_root),
        "DATABASE_URL": database_url,
        "CLAMAV_SOCKET": "",
        "STAFF_2FA_REQUIRED": "0",
        **{key: str(value) for key, value in extra.items()},
    }


def run_manage(env: dict, *args, timeout=600) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout
    )
    if result.returncode:
        raise RuntimeError(f"manage.py {' '.join(args)} a échoué :\n{result.stdout}\n{result.stderr}")
    return result.stdout


class Node:
    """One gunicorn master and its workers, on its own port."""

    def __init__(self, env: dict, workers: int, log_path: Path, gunicorn_args=()):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = log_path
        self._log = open(log_path, "wb")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "langres_portal.wsgi",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(workers),
                "--timeout",
                "60",
                *gunicorn_args,
            ],
            cwd=ROOT,
            env=env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        self.wait_ready()

    def wait_ready(self, timeout=60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn s'est arrêté :\n{self.log()}")
            try:
                if self.request("GET", "/sante/").status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"gunicorn ne répond pas sur {self.url} :\n{self.log()}")

    def log(self) -> str:
        self._log.flush()
        return self.log_path.read_text(errors="replace")[-5000:]

    def request(self, method: str, path: str, body=None, headers=None, timeout=30) -> http.client.HTTPResponse:
        """One request on a new connection; the response is read (response.body) and closed."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            connection.request(method, path, body=body, headers=headers or {})
            response = connection.getresponse()
            response.body = response.read()
            return response
        finally:
            connection.close()

    def get(self, path: str, **kwargs):
        return self.request("GET", path, **kwargs)

    def worker_pids(self) -> list[int]:
        result = subprocess.run(["pgrep", "-P", str(self.process.pid)], capture_output=True, text=True)
        return [int(pid) for pid in result.stdout.split()]

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._log.close()


class Instance:
    """A deployment of the portal: database, media folders, environment; migrated when it starts."""

    def __init__(self, database="sqlite", cache_url=None, migrate=True, **extra_env):
        self.folder = Path(tempfile.mkdtemp(prefix="langres-instance-"))
        self.database = database
        self.pg_name = None
        if database == "postgres":
            self.pg_name = f"portail_nodes_{secrets.token_hex(6)}"
            self._pg_admin(f'CREATE DATABASE "{self.pg_name}"')
            parts = urllib.parse.urlsplit(PG_ADMIN_URL)
            database_url = urllib.parse.urlunsplit(parts._replace(path=f"/{self.pg_name}"))
        else:
            database_url = f"sqlite:///{self.folder / 'db.sqlite3'}"
        extra = {
            "MEDIA_ROOT": self.folder / "media",
            "PRIVATE_MEDIA_ROOT": self.folder / "private",
            "EMAIL_URL": f"filemail:///{self.folder / 'emails'}",  # four slashes: an absolute path
            **extra_env,
        }
        if cache_url:
            extra["CACHE_URL"] = cache_url
        self.env = production_env(database_url, collected_static(), **extra)
        self.nodes: list[Node] = []
        if migrate:
            self.manage("migrate", "--noinput")
            self.manage("createcachetable")

    def _pg_admin(self, sql: str):
        import psycopg

        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as connection:
            connection.execute(sql)

    def manage(self, *args, **kwargs) -> str:
        return run_manage(self.env, *args, **kwargs)

    def start_node(self, workers=2, gunicorn_args=(), **extra_env) -> Node:
        env = {**self.env, **{key: str(value) for key, value in extra_env.items()}}
        node = Node(env, workers, self.folder / f"node-{len(self.nodes)}.log", gunicorn_args)
        self.nodes.append(node)
        return node

    def close(self):
        for node in self.nodes:
            node.stop()
        if self.pg_name:
            self._pg_admin(f'DROP DATABASE IF EXISTS "{self.pg_name}" WITH (FORCE)')
        shutil.rmtree(self.folder, ignore_errors=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
