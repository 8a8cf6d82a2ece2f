#!/usr/bin/env python3
"""Regenerates protocol/src/main/resources/io/rookery/protocol/commands.tsv from a running redis-server 7.0.

The command table is Rookery's compatibility contract: arity, flags, key positions, ACL categories,
group, since and summary as Redis 7.0 declares them. Run against a real server:
    tools/gen-command-table.py 6379 < tools/commands.list > protocol/src/main/resources/io/rookery/protocol/commands.tsv
commands.list holds one command (or "container|sub") per line.
"""
import subprocess, sys

port = sys.argv[1] if len(sys.argv) > 1 else "6379"

def cli(*args):
    out = subprocess.run(["redis-cli", "-p", port, "--json"] + list(args), capture_output=True, text=True, check=True).stdout
    import json
    return json.loads(out)

print("# name\tarity\tflags\tfirst\tlast\tstep\tacl\tgroup\tsince\tcomplexity\tsummary")
for line in sys.stdin:
    name = line.strip()
    if not name or name.startswith("#"):
        continue
    if "\t" in line:  # a hand-written row for a command Redis 7.0 lacks (e.g. CLIENT SETINFO, from 7.2)
        print(line.rstrip("\n"))
        continue
    info = cli("COMMAND", "INFO", name)[0]
    if info is None:
        sys.exit("unknown to redis: " + name)
    docs = cli("COMMAND", "DOCS", name)
    doc = docs.get(name, {}) if isinstance(docs, dict) else {}
    if not doc and "|" in name:
        parent, sub = name.split("|", 1)
        doc = cli("COMMAND", "DOCS", parent).get(parent, {}).get("subcommands", {}).get(name, {})
    nm, arity, flags, first, last, step, acl = info[0], info[1], info[2], info[3], info[4], info[5], info[6]
    print("\t".join(str(x) for x in [
        nm, arity, ",".join(flags) or "-", first, last, step,
        ",".join(a.lstrip("@") for a in acl) or "-",
        doc.get("group", "-"), doc.get("since", "-"), doc.get("complexity", "-"), doc.get("summary", "-")]))
