"""What an authority's IT team relies on in docker-compose.yml, the Dockerfile and the proxy.

These read the files as written (PyYAML for the compose file) and check the promises made in
their comments and in README.md: secrets only where they are needed, nothing listening on every
interface, migrations run once before anything serves, Redis that keeps its queue, real
healthchecks, one beat, shared media, and an image installed from uv.lock. Each message says
what would be lost if the check failed. (`docker compose config` itself was run on the file
when it was written; it is not installed where the suite runs.)
"""

import ast
import re
import shlex
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
COMPOSE_FILE = ROOT / "docker-compose.yml"
DOCKERFILE = ROOT / "Dockerfile"
MAKEFILE = ROOT / "Makefile"
ENV_EXAMPLE = ROOT / ".env.example"
SETTINGS = ROOT / "iro_service" / "settings.py"

APP_SERVICES = ("migrate", "web", "worker", "beat")
LONG_RUNNING_APP_SERVICES = ("web", "worker", "beat")
# Read by the settings but never meant for these containers.
NOT_FOR_CONTAINERS = {
    "DEBUG_TECHNICAL_ERRORS": "developers' technical error pages, with DEBUG on only",
    "IRO_BENCH_QUERY_HEADER": "make bench's query counter, never deployed",
}

# ${NAME}, ${NAME:-default}, ${NAME-default}, ${NAME:?message}, ${NAME?message}; not $${NAME},
# which docker compose hands to the container's shell as ${NAME}.
_VARIABLE = re.compile(r"(?<!\$)\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}")


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load(COMPOSE_FILE.read_text())


@pytest.fixture(scope="module")
def services(compose) -> dict:
    return compose["services"]


def env_example() -> dict[str, str]:
    """The variables .env.example sets (not those only shown in comments)."""
    values = {}
    for line in ENV_EXAMPLE.read_text().splitlines():
        match = re.match(r"([A-Z][A-Z0-9_]*)=(.*)$", line)
        if match:
            values[match.group(1)] = match.group(2)
    return values


def interpolate(value: str, env: dict[str, str]) -> str:
    """What docker compose makes of a value, given .env's variables (no nesting needed here)."""

    def replace(match: re.Match) -> str:
        name, operator, argument = match.groups()
        present = name in env and (env[name] != "" or operator in ("-", "?"))
        if present:
            return env[name]
        if operator in (":-", "-"):
            return argument
        if operator in (":?", "?"):
            raise ValueError(f"{name} is required: {argument}")
        return ""

    return _VARIABLE.sub(replace, value).replace("$$", "$")


def command_words(service: dict) -> list[str]:
    command = service.get("command") or []
    return shlex.split(command) if isinstance(command, str) else [str(word) for word in command]


def healthcheck_words(service: dict) -> list[str]:
    test = (service.get("healthcheck") or {}).get("test") or []
    return shlex.split(test) if isinstance(test, str) else [str(word) for word in test]


def dockerfile_instructions() -> list[str]:
    """The Dockerfile's instructions, continuation lines joined, comments left out."""
    joined = re.sub(r"\\\n", " ", DOCKERFILE.read_text())
    return [
        line.strip()
        for line in joined.splitlines()
        if line.strip() and not line.strip().startswith("#")
    ]


def settings_variables() -> set[str]:
    """Every environment variable iro_service/settings.py reads through its env_* helpers."""
    tree = ast.parse(SETTINGS.read_text())
    names = set()
    timescales = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in {"env_str", "env_bool", "env_int", "env_list"}
            and node.args
        ):
            first = node.args[0]
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                names.add(first.value)
        if (
            isinstance(node, ast.Assign)
            and any(getattr(t, "id", None) == "_TIMESCALE_DEFAULTS" for t in node.targets)
            and isinstance(node.value, ast.Dict)
        ):
            timescales = [key.value for key in node.value.keys]
    assert timescales, "settings.py no longer has _TIMESCALE_DEFAULTS: update this test"
    return names | {f"IRO_{name}" for name in timescales}


# --- Secrets and variables --------------------------------------------------------------------


def test_postgres_and_redis_are_given_no_secret_key_and_nothing_else_of_the_app(services):
    postgres, redis = services["postgres"], services["redis"]
    for name, service in (("postgres", postgres), ("redis", redis)):
        assert "env_file" not in service, (
            f"{name} reads the whole .env: the Django SECRET_KEY, SMTP password and every "
            "other secret would sit in a container that needs none of them"
        )
    assert set(postgres.get("environment") or {}) <= {
        "POSTGRES_DB",
        "POSTGRES_USER",
        "POSTGRES_PASSWORD",
    }, "postgres is given more than its database name, user and password (a leaked secret)"
    assert not redis.get("environment"), "redis is given variables it has no use for"


def test_only_the_app_containers_hold_the_secret_key(services):
    holders = {
        name
        for name, service in services.items()
        if "SECRET_KEY" in (service.get("environment") or {}) or "env_file" in service
    }
    assert holders == set(APP_SERVICES), (
        f"SECRET_KEY (or the whole .env) reaches {sorted(holders)}: a compromise of any "
        "container other than the app's would give away the key that signs every session"
    )


def test_every_setting_reaches_the_app_containers(services):
    missing = {
        name: sorted(
            settings_variables()
            - set(services[name].get("environment") or {})
            - set(NOT_FOR_CONTAINERS)
        )
        for name in APP_SERVICES
    }
    assert not any(missing.values()), (
        f"settings an authority may set in .env never reach the app containers: {missing}; "
        "the value would be ignored without a word (add `NAME:` to x-app-environment)"
    )


def test_the_app_containers_share_one_environment(services):
    environments = {name: services[name].get("environment") for name in APP_SERVICES}
    assert all(env == environments["web"] for env in environments.values()), (
        "migrate, web, worker and beat are configured differently: a worker could send mail "
        "or write files under other settings than the web pages that queued the work"
    )


def test_the_replica_database_passes_through(services):
    for name in APP_SERVICES:
        environment = services[name].get("environment") or {}
        assert "DATABASE_REPLICA_URL" in environment, (
            f"{name} never sees DATABASE_REPLICA_URL: the reporting reads would load the "
            "primary even where the authority runs a replica for them"
        )
        assert environment["DATABASE_REPLICA_URL"] in (None, "${DATABASE_REPLICA_URL:-}"), (
            "DATABASE_REPLICA_URL must stay unset unless .env sets it (set, it sends reads there)"
        )


def test_every_compose_variable_is_in_env_example():
    used = {name for name, _operator, _argument in _VARIABLE.findall(COMPOSE_FILE.read_text())}
    documented = set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]*)=", ENV_EXAMPLE.read_text(), re.M))
    undocumented = sorted(used - documented)
    assert not undocumented, (
        f"docker-compose.yml reads {undocumented} from .env, but .env.example never mentions "
        "them: an IT team copying the example would not know the setting exists"
    )


def test_env_example_settings_all_reach_a_container(services):
    keys = set()
    for service in services.values():
        keys |= set(service.get("environment") or {})
    interpolated = {name for name, _o, _a in _VARIABLE.findall(COMPOSE_FILE.read_text())}
    ignored = sorted(set(env_example()) - keys - interpolated)
    assert not ignored, (
        f".env.example sets {ignored}, which docker compose passes to no container: an "
        "authority would change them and see nothing happen"
    )


# --- Ports, proxy and HTTPS -------------------------------------------------------------------


def published_host_addresses(service: dict, env: dict[str, str]) -> list[str]:
    addresses = []
    for port in service.get("ports") or []:
        if isinstance(port, dict):
            addresses.append(interpolate(str(port.get("host_ip", "")), env))
            continue
        resolved = interpolate(str(port), env)
        parts = resolved.rsplit(":", 2)
        addresses.append(parts[0] if len(parts) == 3 else "")
    return addresses


@pytest.mark.parametrize("env", [{}, env_example()], ids=["compose defaults", ".env.example"])
def test_no_port_is_published_on_every_interface(services, env):
    for name, service in services.items():
        for address in published_host_addresses(service, env):
            assert address not in ("", "0.0.0.0", "::", "[::]"), (  # noqa: S104
                f"{name} publishes a port on every interface of the host: the service (or "
                "its database) would be reachable from the whole network, over plain HTTP"
            )


def test_web_publishes_nothing_and_has_no_fixed_name(services):
    for name in ("web", "worker"):
        assert "container_name" not in services[name], (
            f"{name} has a container_name: Docker cannot start a second replica of it"
        )
    assert not services["web"].get("ports"), (
        "web publishes a port: its replicas would clash on it, and clients could go round "
        "the proxy (the X-Forwarded-Proto the app trusts could then be forged)"
    )


def test_the_proxy_fronts_the_web_replicas(services):
    proxy = services["proxy"]
    mounts = [str(volume) for volume in proxy.get("volumes") or []]
    assert any(m.startswith("./deploy/docker/Caddyfile:/etc/caddy/Caddyfile") for m in mounts), (
        "the proxy does not load deploy/docker/Caddyfile: it would serve Caddy's welcome page"
    )
    caddyfile = "\n".join(
        line.split("#", 1)[0]
        for line in (ROOT / "deploy" / "docker" / "Caddyfile").read_text().splitlines()
    )
    assert re.search(r"dynamic\s+a\s+web\s+8000\b", caddyfile), (
        "the proxy does not look up every replica of `web` on port 8000: requests would go to "
        "one replica only, or nowhere"
    )
    assert "--bind=0.0.0.0:8000" in command_words(services["web"]), (
        "gunicorn no longer listens on the port the proxy sends to"
    )
    assert "private_ranges" not in caddyfile, (
        "the proxy believes X-Forwarded-* from any private address: any machine on the "
        "network could claim HTTPS or someone else's address"
    )


def test_proxy_protocol_is_spoken_on_both_sides(services):
    caddyfile = "\n".join(
        line.split("#", 1)[0]
        for line in (ROOT / "deploy" / "docker" / "Caddyfile").read_text().splitlines()
    )
    sent = re.findall(r"proxy_protocol\s+(v1|v2)", caddyfile)
    accepted = [
        word.split("=", 1)[1]
        for word in command_words(services["web"])
        if word.startswith("--proxy-protocol=")
    ]
    assert sent and accepted, (
        "without the PROXY protocol between Caddy and gunicorn every request seems to come "
        "from the proxy: one person's wrong passwords would lock everyone out, and the audit "
        "record would name the proxy instead of the client"
    )
    assert accepted[0] in (sent[0], "auto"), (
        f"Caddy sends PROXY {sent[0]} but gunicorn expects {accepted[0]}: every request fails"
    )


def test_the_app_trusts_x_forwarded_proto_only_behind_the_proxy(compose):
    environment = compose["x-app-environment"]
    assert environment.get("SECURE_PROXY_SSL_HEADER") == "HTTP_X_FORWARDED_PROTO=https", (
        "behind the proxy the app would never know a request came over HTTPS: redirect loops "
        "with SECURE_SSL_REDIRECT, and CSRF failures on every form"
    )


def test_secure_cookies_is_set_explicitly(compose):
    value = compose["x-app-environment"].get("SECURE_COOKIES")
    assert value is not None and "${SECURE_COOKIES" in str(value), (
        "SECURE_COOKIES is left to the app's default: the localhost trial's behaviour would "
        "change without a word in docker-compose.yml, and .env could not switch it"
    )


# --- Start-up order, migrations, healthchecks ------------------------------------------------


def test_web_worker_and_beat_wait_for_the_migrations(services):
    for name in LONG_RUNNING_APP_SERVICES:
        depends = services[name].get("depends_on") or {}
        condition = (depends.get("migrate") or {}).get("condition")
        assert condition == "service_completed_successfully", (
            f"{name} can start before the migrations are applied: after an upgrade it would "
            "run new code against the old schema (errors, or data written wrongly)"
        )


def test_migrate_runs_once_and_nothing_else_migrates(services):
    migrate = services["migrate"]
    assert command_words(migrate)[:3] == ["python", "manage.py", "migrate"]
    restart = str(migrate.get("restart", "no"))
    assert restart == "no" or restart.startswith("on-failure"), (
        "migrate restarts after finishing: it would run again and again, and the containers "
        "waiting for it to complete would never start"
    )
    assert int((migrate.get("deploy") or {}).get("replicas", 1)) == 1, (
        "several migrate containers would apply the same migrations at once"
    )
    for name in LONG_RUNNING_APP_SERVICES:
        assert "migrate" not in " ".join(command_words(services[name])), (
            f"{name} migrates on every start: several replicas would migrate at once"
        )
    cmd = next(line for line in dockerfile_instructions() if line.startswith("CMD"))
    assert "migrate" not in cmd, "the image's own command migrates on every start"


def test_postgres_is_ready_only_over_tcp(services):
    words = " ".join(healthcheck_words(services["postgres"]))
    assert "pg_isready" in words and re.search(r"-h\s+127\.0\.0\.1", words), (
        "postgres counts as healthy on its first start while only the temporary, socket-only "
        "server is up: migrate would fail to connect and nothing would start"
    )


def test_redis_keeps_its_queue_across_restarts(services):
    redis = services["redis"]
    words = command_words(redis)
    assert "--appendonly" in words and words[words.index("--appendonly") + 1] == "yes", (
        "redis runs without its append-only file: queued emails and PDFs would be lost "
        "whenever Redis restarts"
    )
    assert any(str(volume).split(":")[1:2] == ["/data"] for volume in redis.get("volumes") or []), (
        "redis's /data is not on a volume: the append-only file would go with the container"
    )
    assert "redis-cli" in " ".join(healthcheck_words(redis))


def test_web_is_healthy_only_when_health_answers_ok(services, monkeypatch):
    words = healthcheck_words(services["web"])
    assert words[:3] == ["CMD", "python", "-c"] and "/health/" in words[3], (
        "web's healthcheck does not ask /health/: a replica that cannot reach PostgreSQL or "
        "Redis would still show as healthy"
    )
    script = words[3]
    seen = {}

    class Answer:
        def __init__(self, status, body):
            self.status, self.body = status, body

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def read(self):
            return self.body

    def run(allowed_hosts, answer):
        def urlopen(request, timeout):
            seen["url"], seen["host"], seen["timeout"] = (
                request.full_url,
                request.get_header("Host"),
                timeout,
            )
            if isinstance(answer, Exception):
                raise answer
            return answer

        monkeypatch.setattr(urllib.request, "urlopen", urlopen)
        monkeypatch.setenv("ALLOWED_HOSTS", allowed_hosts)
        with pytest.raises(SystemExit) as exit_:
            exec(compile(script, "healthcheck", "exec"), {})  # noqa: S102
        return exit_.value.code

    assert run(".example.gov.uk,localhost", Answer(200, b"ok\n")) == 0
    assert seen["url"] == "http://127.0.0.1:8000/health/"
    assert seen["host"] == "example.gov.uk", (
        "the healthcheck's Host is not one ALLOWED_HOSTS accepts: Django would answer 400 and "
        "every replica would show as unhealthy"
    )
    assert seen["timeout"] <= 10
    assert run("iro.example.gov.uk", Answer(200, b"not reached: broker\n")) == 1
    with pytest.raises(urllib.error.HTTPError):
        run("iro.example.gov.uk", urllib.error.HTTPError(seen["url"], 503, "", {}, None))


def test_the_worker_is_checked_through_the_broker(services):
    words = " ".join(healthcheck_words(services["worker"]))
    assert "inspect ping" in words and "--timeout" in words, (
        "the worker has no healthcheck: a worker that lost Redis would look fine while "
        "emails and PDFs pile up"
    )


# --- Scaling and files -----------------------------------------------------------------------


def test_web_and_worker_scale_and_beat_never_does(services):
    for name, variable in (("web", "WEB_REPLICAS"), ("worker", "WORKER_REPLICAS")):
        replicas = str((services[name].get("deploy") or {}).get("replicas", ""))
        assert f"${{{variable}:-" in replicas, f"{name}'s replicas cannot be set from .env"
        assert int(interpolate(replicas, {})) >= 2, f"{name} runs as a single replica by default"
    beat = services["beat"]
    assert (beat.get("deploy") or {}).get("replicas") == 1 and "scale" not in beat, (
        "beat is not pinned to one replica: with two, every scheduled task (reminders, "
        "chasers, escalations) would be sent twice"
    )


def test_web_and_worker_share_the_media_volumes(compose, services):
    environment = compose["x-app-environment"]
    declared = set(compose.get("volumes") or {})
    for setting in ("MEDIA_ROOT", "PRIVATE_MEDIA_ROOT"):
        path = environment.get(setting)
        assert path, f"{setting} is left to the image's default: the volumes may miss it"
        sources = {}
        for name in ("web", "worker"):
            mounts = [str(volume).split(":") for volume in services[name].get("volumes") or []]
            sources[name] = next((m[0] for m in mounts if len(m) > 1 and m[1] == path), None)
        assert sources["web"] and sources["web"] == sources["worker"], (
            f"web and worker do not share one volume at {path} ({setting}): the worker's "
            "annual report PDFs (or uploads) would be missing from the pages that serve them, "
            f"and lost with the container: {sources}"
        )
        assert sources["web"] in declared, f"{sources['web']} is not a named volume"


# --- The image --------------------------------------------------------------------------------


def test_the_image_installs_exactly_what_uv_lock_says():
    instructions = dockerfile_instructions()
    assert any(
        re.match(r"COPY\s+pyproject\.toml\s+uv\.lock\s+\S+", line) for line in instructions
    ), "the Dockerfile does not copy uv.lock: the image would not be built from the lock"
    runs = " ".join(line for line in instructions if line.startswith("RUN"))
    assert re.search(r"\buv sync\b[^&;]*--locked", runs), (
        "the image is not installed with `uv sync --locked`: it could get other versions than "
        "the ones tested, or silently ignore a stale lock"
    )
    assert not re.search(r"uv pip install|pip install[^&;]*-r\b", runs), (
        "the image still installs from pyproject.toml's ranges instead of the lock"
    )
    assert not re.search(r"--extra\s+dev|--all-extras", runs), (
        "the image installs the test and lint tools: bigger, with more to patch"
    )
    env_lines = " ".join(line for line in instructions if line.startswith("ENV"))
    path = re.search(r"(?<![A-Z_])PATH=(\S+)", env_lines)
    assert path and path.group(1).startswith("/app/.venv/bin:"), (
        "the synced virtualenv is not first on PATH: python, gunicorn and celery would be "
        "the base image's, without the project's packages"
    )


def test_the_image_uses_the_makefile_uv_version():
    makefile = re.search(r"^UV_VERSION\s*:?=\s*(\S+)", MAKEFILE.read_text(), re.M)
    assert makefile, "the Makefile no longer pins UV_VERSION"
    instructions = dockerfile_instructions()
    arg = next(
        (m.group(1) for line in instructions if (m := re.match(r"ARG UV_VERSION=(\S+)", line))),
        None,
    )
    runs = " ".join(line for line in instructions if line.startswith("RUN"))
    pins = re.findall(r"pip install[^&;]*\buv==[\"']?(\$\{UV_VERSION\}|[0-9][^\s\"']*)", runs)
    assert pins, "the Dockerfile installs uv without pinning its version"
    dockerfile = [arg if pin == "${UV_VERSION}" else pin for pin in pins]
    assert dockerfile == [makefile.group(1)] * len(pins), (
        f"the Dockerfile's uv ({dockerfile}) is not the Makefile's ({makefile.group(1)}): the "
        "lock could be read differently in the image than on developers' machines"
    )


def test_static_files_are_collected_at_build_without_baking_in_a_key():
    instructions = dockerfile_instructions()
    collect = [line for line in instructions if "collectstatic" in line]
    assert collect and all(line.startswith("RUN") for line in collect), (
        "static files are not collected in the image: every container would collect them "
        "again at start, and replicas would race writing the same folder"
    )
    assert all(re.search(r"\bSECRET_KEY=\S+", line) for line in collect)
    for line in instructions:
        assert not re.match(r"(ENV|ARG)\b.*\bSECRET_KEY\b", line), (
            "a SECRET_KEY is baked into the image: anyone with the image could forge sessions"
        )


def test_the_image_runs_unprivileged_with_a_writable_home():
    instructions = dockerfile_instructions()
    users = [line.split()[1] for line in instructions if line.startswith("USER ")]
    assert users and users[-1] not in ("root", "0"), "the containers run as root"
    user = users[-1]
    env_text = " ".join(line for line in instructions if line.startswith("ENV"))
    home = re.search(r"\bHOME=(\S+)", env_text)
    assert home, "HOME is not set: matplotlib and gunicorn would try to write under /app"
    home = home.group(1)
    setup = " ".join(line for line in instructions if line.startswith("RUN"))
    assert f"--home-dir {home}" in setup and "--create-home" in setup, (
        f"the user's home {home} is not created for it: matplotlib's cache would not be kept "
        "and every chart would rebuild the font list (or warn in the logs)"
    )
    assert re.search(rf"chown\s+-R\s+{user}:{user}\s+{re.escape(home)}\b", setup), (
        f"{home} is not owned by {user}: it could not write its own caches"
    )
    mpl = re.search(r"\bMPLCONFIGDIR=(\S+)", env_text)
    assert mpl and mpl.group(1).startswith(home + "/"), (
        "matplotlib's folder is not under the user's home: it could not write its font cache"
    )
