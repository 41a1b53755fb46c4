"""`make cluster` / `make cluster-stop` (DESIGN §13, README "Cluster"): on loopback, nginx (TLS) balancing
two gunicorn app nodes, and one Celery worker, over this machine's PostgreSQL and Redis and one media
store (a folder both nodes share, or the S3 endpoint of MEDIA_STORAGE_URL).

    python scripts/cluster.py start    # prints the address and the PIDs
    python scripts/cluster.py stop     # stops exactly what `start` started (the PID files)

Everything it starts is written under CLUSTER_DIR (default var/cluster): `url` (the balancer's
address), `node-1.pid`, `node-2.pid`, `worker.pid`, `nginx.pid`, the logs in `log/`, a self-signed
TLS certificate in `tls/`, the nginx configuration (deploy/nginx/haidong.conf filled in) in `nginx/`.

Environment: DATABASE_URL (default postgres://postgres@127.0.0.1:5432/haidong_cluster, created if
missing), REDIS_URL (default redis://127.0.0.1:6379/0), MEDIA_STORAGE_URL (default: CLUSTER_DIR/media),
CLUSTER_PORT (nginx, default 8443), CLUSTER_NODE_PORTS (one port per node, default 8101,8102),
CLUSTER_WORKERS (gunicorn workers per node, default 2), CLUSTER_DEMO (load the demo data, default yes)."""

from __future__ import annotations

import contextlib
import datetime as dt
import http.client
import ipaddress
import os
import re
import secrets
import signal
import ssl
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
DIR = Path(os.environ.get("CLUSTER_DIR") or ROOT / "var" / "cluster").resolve()
TEMPLATE = ROOT / "deploy" / "nginx" / "haidong.conf"
HOST = "127.0.0.1"


def say(line: str) -> None:
    print(line, flush=True)


def settings_env() -> dict[str, str]:
    port = int(os.environ.get("CLUSTER_PORT", "8443"))
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "haidong_policy.settings",
        "DEBUG": "false",
        "SECRET_KEY": os.environ.get("SECRET_KEY") or secret_key(),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": os.environ.get("DATABASE_URL") or "postgres://postgres@127.0.0.1:5432/haidong_cluster",
        "REDIS_URL": os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0",
        "SITE_URL": f"https://{HOST}:{port}",
        "NUM_PROXIES": "1",
        "SECURE_PROXY_SSL_HEADER_NAME": "HTTP_X_FORWARDED_PROTO",
        "FORWARDED_ALLOW_IPS": HOST,
        "PYTHONUNBUFFERED": "1",
    }
    # One folder, shared by both nodes (with MEDIA_STORAGE_URL it stays empty: files go to the bucket).
    env["MEDIA_ROOT"] = str(DIR / "media")
    if not (os.environ.get("EMAIL_HOST") or os.environ.get("EMAIL_BACKEND")):
        # No SMTP server on loopback: mail is written as files the worker sends (var/cluster/mail).
        env["EMAIL_BACKEND"] = "django.core.mail.backends.filebased.EmailBackend"
        env["EMAIL_FILE_PATH"] = str(DIR / "mail")
    if not env["DATABASE_URL"].startswith(("postgres://", "postgresql://")):
        sys.exit(f"make cluster needs PostgreSQL (two nodes over one SQLite file are not a cluster): "
                 f"DATABASE_URL={masked(env['DATABASE_URL'])}")
    return env


def secret_key() -> str:
    """One key for every node (sessions and tokens signed on one node are read on the other)."""
    path = DIR / "secret-key"
    if not path.exists():
        write_private(path, secrets.token_urlsafe(50).encode())
    return path.read_text().strip()


def write_private(path: Path, data: bytes) -> None:
    """A file only this user may read, from its first byte."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as out:
        out.write(data)


def masked(url: str) -> str:
    """A URL as it may be printed: without a password."""
    return re.sub(r"(//[^/:@]*):[^@/]*@", r"\1:***@", url)


def node_ports() -> list[int]:
    raw = os.environ.get("CLUSTER_NODE_PORTS", "8101,8102")
    ports = [int(p) for p in raw.split(",") if p.strip()]
    if not ports:
        sys.exit("CLUSTER_NODE_PORTS is empty: give one port per node, e.g. 8101,8102")
    return ports


def tls_certificate() -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 and localhost (loopback only; clients trust this file)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    folder = DIR / "tls"
    cert, key = folder / "cert.pem", folder / "key.pem"
    if cert.exists() and key.exists():
        return cert, key
    folder.mkdir(parents=True, exist_ok=True)
    private = ec.generate_private_key(ec.SECP256R1())
    # A name of its own: a client trusting several clusters finds each certificate by its name.
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, f"haidong cluster {secrets.token_hex(4)} (loopback)")])
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(private.public_key())
        .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=365))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address(HOST)),
                                                    x509.DNSName("localhost")]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .sign(private, hashes.SHA256())
    )
    write_private(key, private.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                             serialization.NoEncryption()))
    cert.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    return cert, key


def nginx_config(port: int, ports: list[int], cert: Path, key: Path) -> Path:
    folder = DIR / "nginx"
    temp = folder / "temp"
    for sub in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (temp / sub).mkdir(parents=True, exist_ok=True)
    user = ""
    if os.geteuid() == 0:  # nginx's workers leave root for nobody: they write the buffered bodies here
        import pwd

        nobody = pwd.getpwnam("nobody")
        for path in [temp, *temp.iterdir()]:
            os.chown(path, nobody.pw_uid, nobody.pw_gid)
        user = f"user nobody {__import__('grp').getgrgid(nobody.pw_gid).gr_name};"
    servers = "\n".join(f"    server {HOST}:{p} max_fails=1 fail_timeout=10s;" for p in ports)
    site = TEMPLATE.read_text()
    for marker, value in {"@UPSTREAM_SERVERS@": servers, "@LISTEN@": f"{HOST}:{port}", "@SERVER_NAME@": HOST,
                          "@TLS_CERT@": str(cert), "@TLS_KEY@": str(key)}.items():
        site = site.replace(marker, value)
    (folder / "haidong.conf").write_text(site)
    main = f"""# Written by scripts/cluster.py: the loopback cluster's nginx around deploy/nginx/haidong.conf.
{user}
daemon off;
worker_processes auto;
pid {folder / "nginx.pid"};
error_log {DIR / "log" / "nginx-error.log"} warn;
events {{ worker_connections 1024; }}
http {{
    default_type application/octet-stream;
    log_format haidong '$time_iso8601 $haidong_request_id $status $request_method $uri $request_time '
                       'upstream=$upstream_addr upstream_status=$upstream_status';
    access_log {DIR / "log" / "nginx-access.log"} haidong;
    client_body_temp_path {temp / "client_body"};
    proxy_temp_path {temp / "proxy"};
    fastcgi_temp_path {temp / "fastcgi"};
    uwsgi_temp_path {temp / "uwsgi"};
    scgi_temp_path {temp / "scgi"};
    include {folder / "haidong.conf"};
}}
"""
    (folder / "nginx.conf").write_text(main)
    return folder / "nginx.conf"


def nginx_binary() -> str:
    for candidate in ("/usr/sbin/nginx", "/usr/bin/nginx"):
        if os.path.exists(candidate):
            return candidate
    sys.exit("nginx is not installed: `make cluster` installs it as root (scripts/system-packages.sh nginx), "
             "or run: sudo apt-get install -y nginx")


def ensure_database(url: str) -> None:
    import dj_database_url
    import psycopg
    from psycopg import sql

    db = dj_database_url.parse(url)
    admin = {"host": db["HOST"] or HOST, "port": db["PORT"] or 5432, "user": db["USER"] or "postgres",
             "password": db["PASSWORD"] or None}
    with psycopg.connect(dbname="postgres", autocommit=True, **admin) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [db["NAME"]]).fetchone():
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(db["NAME"])))
            say(f"created database {db['NAME']}")


def manage(env: dict, *args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)


def spawn(name: str, argv: list[str], env: dict) -> int:
    """A process in a session of its own (so a node is its gunicorn master and workers: one group),
    its output in log/<name>.log, its PID in <name>.pid."""
    with open(DIR / "log" / f"{name}.log", "ab") as log:
        proc = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=log, stderr=log, stdin=subprocess.DEVNULL,
                                start_new_session=True)
    # The PID, then the process's start time: a PID the system has since given to another process
    # is never signalled.
    (DIR / f"{name}.pid").write_text(f"{proc.pid}\n{started_at(proc.pid)}\n")
    return proc.pid


def started_at(pid: int) -> str:
    """The process's start time in clock ticks since boot (/proc/<pid>/stat field 22); '' if gone."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[-1].split()[19]
    except (OSError, IndexError):
        return ""


def alive(pid: int, start: str) -> bool:
    """Still the process that was started (same PID and start time), and not a zombie."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[-1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z" and started_at(pid) == start


def group_of(leader: int) -> list[tuple[int, str]]:
    """(pid, start time) of every process in the leader's process group (start_new_session)."""
    members = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, IndexError, ValueError):
            fields = stat.read_text().rsplit(")", 1)[-1].split()
            if int(fields[2]) == leader:
                members.append((int(stat.parent.name), fields[19]))
    return members


def started() -> list[tuple[str, int, str]]:
    """(name, pid, start time) from the PID files, nginx first (stop taking requests), the worker last."""
    order = lambda p: (0 if p.stem == "nginx" else 2 if p.stem == "worker" else 1, p.stem)  # noqa: E731
    found = []
    for path in sorted(DIR.glob("*.pid"), key=order):
        with contextlib.suppress(ValueError, OSError):
            pid, _, start = path.read_text().strip().partition("\n")
            found.append((path.stem, int(pid), start.strip()))
    return found


def ready(url: str, *, tls: ssl.SSLContext | None = None) -> bool:
    host, port = url.split("://")[1].split(":")
    cls = http.client.HTTPSConnection if tls else http.client.HTTPConnection
    kwargs = {"context": tls} if tls else {}
    try:
        conn = cls(host, int(port), timeout=5, **kwargs)
        conn.request("GET", "/readyz", headers={"X-Forwarded-Proto": "https", "Host": HOST})
        return conn.getresponse().status == 200
    except (OSError, http.client.HTTPException):
        return False


def wait_ready(what: str, url: str, pid: int, *, tls=None, seconds: float = 60) -> None:
    deadline, start = time.monotonic() + seconds, started_at(pid)
    while not ready(url, tls=tls):
        if not alive(pid, start):
            raise RuntimeError(f"{what} exited: see {DIR / 'log'}")
        if time.monotonic() > deadline:
            raise RuntimeError(f"{what} not ready at {url} within {seconds:.0f} s: see {DIR / 'log'}")
        time.sleep(0.2)


def start() -> int:
    running = [(n, p) for n, p, start in started() if alive(p, start)]
    if running:
        say(f"the cluster is already running ({', '.join(f'{n} {p}' for n, p in running)}): make cluster-stop")
        return 1
    DIR.mkdir(parents=True, exist_ok=True)
    DIR.chmod(0o700)  # the secret key, the TLS key, the logs and the mail (password-reset links)
    (DIR / "log").mkdir(exist_ok=True)
    (DIR / "url").unlink(missing_ok=True)
    port, ports = int(os.environ.get("CLUSTER_PORT", "8443")), node_ports()
    workers = os.environ.get("CLUSTER_WORKERS", "2")
    env = settings_env()
    nginx = nginx_binary()
    cert, key = tls_certificate()
    conf = nginx_config(port, ports, cert, key)
    errors = str(DIR / "log" / "nginx-error.log")
    subprocess.run([nginx, "-t", "-q", "-p", str(DIR / "nginx"), "-c", str(conf), "-e", errors], check=True)
    ensure_database(env["DATABASE_URL"])
    # Deploy steps, once for all nodes: the schema, the static files (served by each node's WhiteNoise).
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "collectstatic", "--noinput", "-v0")
    if os.environ.get("CLUSTER_DEMO", "yes").lower() not in ("0", "no", "false", "off"):
        manage(env, "load_demo")
    try:
        pids = {}
        for number, node_port in enumerate(ports, start=1):
            name = f"node-{number}"
            gunicorn = [str(BIN / "gunicorn"), "haidong_policy.wsgi", "-c", "haidong_policy/gunicorn.conf.py"]
            pids[name] = spawn(name, gunicorn, {**env, "BIND": f"{HOST}:{node_port}", "WEB_CONCURRENCY": workers})
        pids["worker"] = spawn("worker", [str(BIN / "celery"), "-A", "haidong_policy", "worker", "--beat",
                                          "--loglevel", "INFO", "--concurrency", "2", "-n", "cluster-worker@%h",
                                          "--schedule", str(DIR / "celerybeat-schedule")], env)
        pids["nginx"] = spawn("nginx", [nginx, "-p", str(DIR / "nginx"), "-c", str(conf), "-e", errors], env)
        for number, node_port in enumerate(ports, start=1):
            wait_ready(f"node-{number}", f"http://{HOST}:{node_port}", pids[f"node-{number}"])
        url = f"https://{HOST}:{port}"
        wait_ready("nginx", url, pids["nginx"], tls=ssl.create_default_context(cafile=str(cert)))
    except (RuntimeError, OSError) as exc:
        say(f"make cluster failed: {exc}")
        stop()
        return 1
    (DIR / "url").write_text(url + "\n")
    say(f"cluster ready: {url}  (self-signed certificate: {cert})")
    for name, node_port in zip([f"node-{i}" for i in range(1, len(ports) + 1)], ports, strict=True):
        say(f"  {name}  pid {pids[name]:<8} http://{HOST}:{node_port}  ({workers} gunicorn workers)")
    say(f"  worker  pid {pids['worker']:<8} celery worker with beat")
    say(f"  nginx   pid {pids['nginx']:<8} balancing {len(ports)} node(s)")
    media = os.environ.get("MEDIA_STORAGE_URL") or env["MEDIA_ROOT"]
    say(f"  database {masked(env['DATABASE_URL'])}  redis {masked(env['REDIS_URL'])}  media {masked(media)}")
    say(f"written: {DIR / 'url'}, {', '.join(str(DIR / f'{n}.pid') for n in pids)}; logs in {DIR / 'log'}")
    say("stop: make cluster-stop")
    return 0


def stop() -> int:
    """Stop what the PID files name, if they still are what was started: nginx first (gracefully),
    then the nodes (gunicorn's graceful stop), then the worker (warm shutdown: tasks finish or go
    back to the queue); whatever is left of a group after 30 s is killed."""
    stopped = []
    for name, pid, start in started():
        if alive(pid, start):
            group = group_of(pid)  # the process and those it started (a node's workers), as they are now
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGQUIT if name == "nginx" else signal.SIGTERM)
            deadline = time.monotonic() + 30
            while any(alive(p, s) for p, s in group) and time.monotonic() < deadline:
                time.sleep(0.1)
            for member, member_start in group:  # whatever is left after 30 s
                if alive(member, member_start):
                    with contextlib.suppress(ProcessLookupError):
                        os.kill(member, signal.SIGKILL)
            stopped.append(f"{name} (pid {pid})")
        (DIR / f"{name}.pid").unlink(missing_ok=True)
    (DIR / "url").unlink(missing_ok=True)
    say(f"stopped: {', '.join(stopped)}" if stopped else "nothing was running")
    return 0


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else ""
    if command not in ("start", "stop"):
        sys.exit("usage: cluster.py start|stop")
    sys.exit(start() if command == "start" else stop())
