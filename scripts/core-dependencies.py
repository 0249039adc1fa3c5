#!/usr/bin/env python3
"""Prints how the folders of src/ChatOps.Core depend on each other (read from their `using ChatOps.Core.X;` lines and
fully qualified `ChatOps.Core.X.` names) and fails on any cycle, except the one allowed: the runbook (Releases) and
its steps (Steps), which name each other by design."""
import os
import re
import sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src", "ChatOps.Core")
ALLOWED = {frozenset({"Releases", "Steps"})}


def folders():
    edges = {}
    for path, dirs, files in os.walk(ROOT):
        dirs[:] = [d for d in dirs if d not in ("bin", "obj")]
        folder = os.path.relpath(path, ROOT).split(os.sep)[0]
        for name in files:
            if not name.endswith(".cs"):
                continue
            with open(os.path.join(path, name), encoding="utf-8") as f:
                text = f.read()
            if folder == ".":
                continue  # the root holds only the registration, which names everything and is named by nothing
            used = set(re.findall(r"^using ChatOps\.Core\.(\w+)\s*;", text, re.M))
            used |= set(re.findall(r"\bChatOps\.Core\.(\w+)\.", text))
            edges.setdefault(folder, set()).update(u for u in used if u != folder)
    return edges


def cycles(edges):
    """Strongly connected components of more than one folder (Tarjan)."""
    index, low, stack, on, found, counter = {}, {}, [], set(), [], [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in sorted(edges.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = set()
            while True:
                w = stack.pop()
                on.discard(w)
                component.add(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(frozenset(component))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return found


def main():
    edges = folders()
    print("ChatOps.Core folder dependencies:")
    for folder in sorted(edges):
        print(f"  {folder:<9} -> {', '.join(sorted(edges[folder])) or '(nothing)'}")
    bad = [c for c in cycles(edges) if c not in ALLOWED]
    for c in bad:
        print(f"FAIL: these Core folders depend on each other in a cycle: {', '.join(sorted(c))}", file=sys.stderr)
    if not bad:
        print("No cycles besides the runbook and its steps (Releases <-> Steps).")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
