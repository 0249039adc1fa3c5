#!/usr/bin/env python3
"""Footprint of the bot (issue 15 item 5), on 127.0.0.1 only, every wait bounded; run by bench/footprint.sh.
Start-up to the first 200 on /health and idle RSS (VmRSS) of the bot in sandbox mode and of the minimal endpoint,
RSS after 100 releases driven through the sandbox console, and a release plus rollback under a GC heap limit."""
import os, re, statistics, subprocess, sys, threading, time, urllib.request

HOST, BENCH = sys.argv[1], sys.argv[2]
RUNS = int(os.environ.get("RUNS", "3"))
RELEASES = int(os.environ.get("RELEASES", "100"))
PORT = 18097


def rss_mib(pid):
    with open(f"/proc/{pid}/status") as f:
        kb = next(int(l.split()[1]) for l in f if l.startswith("VmRSS:"))
    return kb / 1024


def start(cmd, env, stdin=subprocess.DEVNULL):
    e = dict(os.environ, **env)
    t0 = time.monotonic()
    p = subprocess.Popen(cmd, env=e, stdin=stdin, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, encoding="utf-8")
    deadline = t0 + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{PORT}/health", timeout=1) as r:
                if r.status == 200:
                    return p, time.monotonic() - t0
        except Exception:
            pass
        if p.poll() is not None:
            raise SystemExit(f"{cmd} exited: {p.stdout.read()[-3000:]}")
        time.sleep(0.01)
    stop(p)
    raise SystemExit(f"{cmd}: no 200 on /health within 60 s")


def stop(p):
    if p.poll() is None:
        p.terminate()
        try:
            p.wait(20)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()


BOT = ["dotnet", HOST]
BOT_ENV = {"ChatOps__Mode": "sandbox", "Urls": f"http://127.0.0.1:{PORT}", "Console__Enabled": "false"}
MINIMAL = ["dotnet", BENCH, "minimal-endpoint", "--url", f"http://127.0.0.1:{PORT}", "--seconds", "120"]


def startup_and_idle(name, cmd, env):
    times, rss = [], []
    for _ in range(RUNS):
        p, t = start(cmd, env)
        time.sleep(5)
        rss.append(rss_mib(p.pid))
        times.append(t)
        stop(p)
    print(f"{name}: start-up to first 200 on /health {', '.join(f'{t:.2f}' for t in times)} s (median {statistics.median(times):.2f} s); "
          f"idle RSS 5 s after {', '.join(f'{r:.0f}' for r in rss)} MiB (median {statistics.median(rss):.0f} MiB)", flush=True)
    return statistics.median(times), statistics.median(rss)


class Console:
    """The bot's console chat on stdin/stdout, read line by line with a deadline per wait."""

    def __init__(self, env, base=None):
        self.p, _ = start(BOT, dict(base or BOT_ENV, **env, Console__Enabled="true"), stdin=subprocess.PIPE)
        self.buf, self.lock = "", threading.Lock()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.p.stdout:
            with self.lock:
                self.buf += line

    def say(self, line):
        self.p.stdin.write(line + "\n")
        self.p.stdin.flush()

    def wait(self, pattern, seconds):
        rx = re.compile(pattern)
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            with self.lock:
                m = rx.search(self.buf)
                if m:
                    self.buf = self.buf[m.end():]
                    return m
            if self.p.poll() is not None:
                break
            time.sleep(0.02)
        raise SystemExit(f"no /{pattern}/ within {seconds} s; last output: {self.buf[-2000:]}")

    def release(self, tag, seconds=60):
        self.say(f"/release {tag}")
        m = self.wait(rf"✅ Released {re.escape(tag)}|⏸ Waiting for an approver: /approve (\d+)|❌ Failed[^\n]*|⚠️ Needs attention[^\n]*", seconds)
        if m.group(0).startswith("⏸"):
            self.say("/as bob")
            self.say(f"/approve {m.group(1)}")
            self.say("/as alice")
            m = self.wait(rf"✅ Released {re.escape(tag)}|❌ Failed[^\n]*|⚠️ Needs attention[^\n]*", seconds)
        if not m.group(0).startswith("✅"):
            raise SystemExit(f"release {tag}: {m.group(0)}")


def hundred_releases(base=None, name="sandbox console, Sandbox:Latency=zero"):
    c = Console({"Sandbox__Latency": "zero"}, base)
    try:
        time.sleep(5)
        idle = rss_mib(c.p.pid)
        t0 = time.monotonic()
        for i in range(RELEASES):
            c.release(f"v0.{i + 2}.0")
        took = time.monotonic() - t0
        after = rss_mib(c.p.pid)
        time.sleep(5)
        settled = rss_mib(c.p.pid)
        print(f"{name}: idle RSS {idle:.0f} MiB; {RELEASES} releases in {took:.1f} s; "
              f"RSS right after {after:.0f} MiB, 5 s later {settled:.0f} MiB", flush=True)
    finally:
        stop(c.p)


def _service(env, i, name, app):
    key = f"ChatOps__Environments__{env}__Services__{i}__"
    return {key + "Name": name, key + "FlyApp": app, key + "Image": f"registry.fly.io/{app}:{{tag}}",
            key + "HealthUrl": f"https://{app}.fly.dev/health", key + "VersionUrl": f"https://{app}.fly.dev/version"}


# Live mode: the bot against the simulators as a separate process (the `simulators` verb), so the bot's own
# process holds only what production holds. The chat is the console (stdin), as in scripts/container-smoke.sh.
# Every environment and service set in full, as docs/deploy-fly.md sets them: the image's appsettings.json names none.
LIVE_SETTINGS = {
    "GitHub__Repository": "bench/target-app",
    **_service("production", 0, "api", "bench-api"),
    **_service("production", 1, "orchestrator", "bench-orchestrator"),
    "ChatOps__Environments__production__Migrations__App": "bench-api",
    **_service("staging", 0, "api", "bench-api-staging"),
    **_service("staging", 1, "orchestrator", "bench-orchestrator-staging"),
    "ChatOps__Environments__staging__Migrations__App": "bench-api-staging",
    "Sandbox__Latency": "zero",
}


def start_simulators():
    p = subprocess.Popen(["dotnet", HOST, "simulators"], env=dict(os.environ, **LIVE_SETTINGS), stdin=subprocess.DEVNULL,
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    aim, deadline = {}, time.monotonic() + 60
    for line in p.stdout:
        line = line.strip()
        if line == "Ready":
            return p, aim
        if "=" in line and not line.startswith("Simulators at"):
            key, value = line.split("=", 1)
            aim[key] = value
        if time.monotonic() > deadline:
            break
    stop(p)
    raise SystemExit("the simulators did not say Ready within 60 s")


def live_mode(data):
    sims, aim = start_simulators()
    try:
        # The simulators' addresses replace the services' URLs (a later key wins).
        env = {**LIVE_SETTINGS, **aim, **{
            "ChatOps__Mode": "live", "Urls": f"http://127.0.0.1:{PORT}", "ChatOps__StorePath": f"{data}/chatops.db",
            "ChatOps__Access__Releasers__0": "console:alice", "ChatOps__Access__Approvers__0": "console:bob",
            "Console__Enabled": "true"}}
        times, rss = [], []
        for i in range(RUNS):
            env["ChatOps__StorePath"] = f"{data}/startup-{i}.db"
            p, t = start(BOT, env, stdin=subprocess.PIPE)
            time.sleep(5)
            rss.append(rss_mib(p.pid))
            times.append(t)
            stop(p)
        print(f"bot, live against the simulators' process, console chat: start-up to first 200 on /health "
              f"{', '.join(f'{t:.2f}' for t in times)} s (median {statistics.median(times):.2f} s); idle RSS 5 s after "
              f"{', '.join(f'{r:.0f}' for r in rss)} MiB (median {statistics.median(rss):.0f} MiB)", flush=True)
        env["ChatOps__StorePath"] = f"{data}/releases.db"
        if os.environ.get("SKIP_RELEASES") != "1":
            hundred_releases(env, "bot, live against the simulators' process, console chat")
        return statistics.median(times), statistics.median(rss)
    finally:
        stop(sims)


def heap_limited_release_and_rollback():
    c = Console({"DOTNET_GCHeapHardLimit": "0xC800000"})
    try:
        t0 = time.monotonic()
        c.release("v0.2.0", 120)
        c.say("/rollback production")
        c.wait(r"\[1\] Yes, roll back production", 30)  # a typed /rollback asks for a second press
        c.say("1")
        c.wait(r"↩️ Rolled back production[^\n]*", 120)
        print(f"DOTNET_GCHeapHardLimit=0xC800000 (200 MB), sandbox latency: release v0.2.0 and /rollback production completed "
              f"in {time.monotonic() - t0:.1f} s; RSS at the end {rss_mib(c.p.pid):.0f} MiB", flush=True)
    finally:
        stop(c.p)


print(f"load average: {open('/proc/loadavg').read().split()[:3]}; GC settings from the environment: "
      f"{ {k: v for k, v in os.environ.items() if k.startswith('DOTNET_gc') or k.startswith('DOTNET_GC') or k.startswith('DOTNET_Tiered')} }", flush=True)
if os.environ.get("ONLY_HEAP_LIMIT") == "1":
    heap_limited_release_and_rollback()
    raise SystemExit(0)
mt, mr = startup_and_idle("minimal endpoint", MINIMAL, {})
bt, br = startup_and_idle("bot, sandbox, console off", BOT, BOT_ENV)
print(f"start-up bot / minimal: {bt / mt:.2f}x (goal <= 2x); idle RSS bot {br:.0f} MiB (goal <= 100 MiB), minimal {mr:.0f} MiB", flush=True)
if os.environ.get("SKIP_LIVE") != "1":
    import tempfile
    with tempfile.TemporaryDirectory(prefix="chatops-footprint-") as data:
        lt, lr = live_mode(data)
    print(f"start-up live bot / minimal: {lt / mt:.2f}x (goal <= 2x); idle RSS live bot {lr:.0f} MiB (goal <= 100 MiB)", flush=True)
if os.environ.get("SKIP_RELEASES") != "1":
    hundred_releases()
    heap_limited_release_and_rollback()
print(f"load average after: {open('/proc/loadavg').read().split()[:3]}")
