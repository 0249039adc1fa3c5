#!/usr/bin/env python3
"""Writes a wrk Lua script posting pregenerated, signed Slack slash commands (wrk's Lua has no HMAC).
usage: slack-bodies.py <out.lua> <count> <response_url>; the signing secret comes from BENCH_SLACK_SECRET.
Every body has its own trigger_id (the bot's dedupe key); all carry one fresh timestamp (Slack's window is 5 min)."""
import hashlib, hmac, os, sys, time, urllib.parse

out, count, response_url = sys.argv[1], int(sys.argv[2]), sys.argv[3]
secret = os.environ["BENCH_SLACK_SECRET"].encode()
ts = str(int(time.time()))
nonce = os.urandom(4).hex()
with open(out, "w") as f:
    f.write(f'local ts = "{ts}"\nlocal bodies = {{\n')
    sigs = []
    for i in range(count):
        body = urllib.parse.urlencode({
            "token": "bench", "team_id": "T0BENCH", "channel_id": "C0BENCH", "channel_name": "bench",
            "user_id": "U0BENCH", "user_name": "bench", "command": "/whoami", "text": "",
            "response_url": response_url + "bench", "trigger_id": f"{nonce}.{i}.bench",
        })
        sig = "v0=" + hmac.new(secret, f"v0:{ts}:{body}".encode(), hashlib.sha256).hexdigest()
        f.write(f'"{body}",\n')
        sigs.append(sig)
    f.write("}\nlocal sigs = {\n")
    for s in sigs:
        f.write(f'"{s}",\n')
    f.write("""}
local next_thread = 0
function setup(thread)
  thread:set("offset", next_thread)
  next_thread = next_thread + 1
end
function init(args)
  i = offset * math.floor(#bodies / 2)
end
function request()
  i = i % #bodies + 1
  return wrk.format("POST", "/slack/commands", {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["X-Slack-Request-Timestamp"] = ts,
    ["X-Slack-Signature"] = sigs[i],
  }, bodies[i])
end
""")
