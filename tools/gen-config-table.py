#!/usr/bin/env python3
"""Regenerates node-core/src/main/resources/io/rookery/node/config/redis-config.tsv: every configuration
parameter of Redis 7.0 with its type, bounds, flags and default, as data.

Names, aliases, types, bounds, enum values and flags come from Redis's own declaration table
(`static_configs[]` in src/config.c, read from the source tarball); the defaults come from a running
redis-server 7.0 (`CONFIG GET name`), so hidden parameters (key-load-delay, ...) are included too.
Run against a real server started with no configuration besides its port:
    redis-server --port 7301 --bind 127.0.0.1 &
    tools/gen-config-table.py 7301 ~/.cache/redis-7.0.15-tests/redis_7.0.15.orig.tar.gz \
        > node-core/src/main/resources/io/rookery/node/config/redis-config.tsv

Columns: name, canonical (the name an alias stands for, or -), type (bool, int, memory, percent-memory,
octal, enum, string, special), flags (immutable, protected, multi-arg, hidden; comma separated or -),
min, max (numeric bounds, clamped to a Java long), values (enum values, comma separated, or -), default
(as CONFIG GET prints it; \\- stands for the empty string).
"""
import json, re, subprocess, sys, tarfile

port = sys.argv[1]
tarball = sys.argv[2]

with tarfile.open(tarball) as t:
    member = next(m for m in t.getmembers() if m.name.endswith("/src/config.c"))
    source = t.extractfile(member).read().decode()

enums = {}
for m in re.finditer(r"configEnum (\w+)\[\] = \{(.*?)\n\};", source, re.S):
    enums[m.group(1)] = re.findall(r'\{"([^"]+)"', m.group(2))

LONG_MAX = (1 << 63) - 1
CONSTANTS = {"INT_MAX": (1 << 31) - 1, "INT_MIN": -(1 << 31), "UINT_MAX": (1 << 32) - 1, "LONG_MAX": LONG_MAX,
             "LLONG_MAX": LONG_MAX, "ULLONG_MAX": LONG_MAX, "SSIZE_MAX": LONG_MAX}

def number(expr):
    expr = expr.strip()
    if re.fullmatch(r"0[0-7]+", expr):
        return int(expr, 8)
    for k, v in CONSTANTS.items():
        expr = re.sub(r"\b%s\b" % k, str(v), expr)
    expr = re.sub(r"(\d+)ll\b", r"\1", expr)
    return min(int(eval(expr, {"__builtins__": {}})), LONG_MAX)

def split_args(text):
    """Top-level comma split of a C argument list."""
    out, depth, cur = [], 0, ""
    for ch in text:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        if ch == "," and depth == 0:
            out.append(cur.strip())
            cur = ""
        else:
            cur += ch
    out.append(cur.strip())
    return out

def cli(*args):
    out = subprocess.run(["redis-cli", "-p", port, "--json"] + list(args), capture_output=True, text=True,
                         check=True).stdout
    return json.loads(out)

table = source[source.index("standardConfig static_configs[]"):source.index("/* NULL Terminator")]
rows = []
for m in re.finditer(r"create(\w+)Config\((.*)\),?\s*(?:/\*.*)?$", table, re.M):
    kind, args = m.group(1), split_args(m.group(2))
    name, alias, flags = args[0].strip('"'), args[1], args[2]
    alias = None if alias == "NULL" else alias.strip('"')
    fl = []
    if "IMMUTABLE_CONFIG" in flags:
        fl.append("immutable")
    if "PROTECTED_CONFIG" in flags:
        fl.append("protected")
    if "MULTI_ARG_CONFIG" in flags:
        fl.append("multi-arg")
    if "HIDDEN_CONFIG" in flags:
        fl.append("hidden")
    lo = hi = values = "-"
    if kind == "Bool":
        typ = "bool"
    elif kind in ("String", "SDS"):
        typ = "string"
    elif kind == "Enum":
        typ, values = "enum", ",".join(enums[args[3]])
    elif kind == "Special":
        typ = "special"
    else:
        lo, hi = number(args[3]), number(args[4])
        nflags = args[7]
        typ = ("percent-memory" if "PERCENT_CONFIG" in nflags else "memory") if "MEMORY_CONFIG" in nflags \
            else "octal" if "OCTAL_CONFIG" in nflags else "int"
    value = cli("CONFIG", "GET", name).get(name)
    if value is None:
        sys.exit("unknown to the running redis-server: " + name)
    if name == "dir":
        value = "."  # Redis's default is the working directory it was started in
    default = value if value != "" else "\\-"
    fl_text = ",".join(fl) or "-"
    rows.append([name, "-", typ, fl_text, lo, hi, values, default])
    if alias:
        rows.append([alias, name, typ, fl_text, lo, hi, values, default])

print("# name\tcanonical\ttype\tflags\tmin\tmax\tvalues\tdefault")
for r in rows:
    print("\t".join(str(x) for x in r))
