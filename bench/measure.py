#!/usr/bin/env python3
"""Time one benchmark scenario: a command, optionally side by side with a baseline.

    measure.py [OPTIONS] -- COMMAND... [-- BASELINE_COMMAND...]

Each run is one process, started by the runstat helper ($RUNSTAT, built from
bench/runstat.c): wall time from fork to exit, peak RSS and CPU time from the
kernel's rusage for that child (wait4), the same figures /usr/bin/time -f
'%e %M' reports, at a finer resolution. Runs of the
command and of the baseline alternate (A B A B ...), so that drift on a busy
machine hits both alike. --prep and --base-prep run through the shell before
each run and are not timed (e.g. removing the database for a run from empty).
Every run must exit 0 (or a code listed by --ok-exit). The scenario is
written as JSON to --out.

Options:
  --name NAME          scenario id
  --desc TEXT          what it measures
  --n N                number of revisions
  --storage KIND       where the files live (tmpfs, disk)
  --runs K             measured runs (default 5)
  --warmup K           unmeasured runs first (default 1)
  --cwd DIR            working directory of every run
  --prep CMD           shell command before each run of COMMAND
  --env NAME=VALUE     set in COMMAND's environment (not the baseline's); repeatable
  --stdin FILE         COMMAND's standard input (default /dev/null)
  --base-prep CMD      shell command before each run of the baseline
  --base-stdin FILE    the baseline's standard input (default /dev/null)
  --base-name TEXT     how the baseline is named (default: its argv[0])
  --base-show TEXT     the baseline command as recorded (default: its argv)
  --ok-exit CODES      COMMAND's accepted exit codes, comma-separated (default 0;
                       e.g. 1 for `retort check` finding a difference)
  --target-ms X        pass when median_ms < X
  --target-ratio X     pass when median_ms / baseline_ms <= X
  --target-rss-kib X   pass when peak_rss_kib < X
  --out FILE           where to write the scenario's JSON
"""
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time


RUNSTAT = os.environ.get("RUNSTAT", "runstat")


def parse(argv):
    opts = {"runs": "5", "warmup": "1", "cwd": ".", "stdin": "/dev/null",
            "base-stdin": "/dev/null", "env": []}
    i = 0
    while i < len(argv) and argv[i] != "--":
        key = argv[i]
        if not key.startswith("--") or i + 1 >= len(argv):
            sys.exit(f"measure.py: bad option {key!r}\n\n{__doc__}")
        if key == "--env":
            if "=" not in argv[i + 1]:
                sys.exit(f"measure.py: --env takes NAME=VALUE, not {argv[i + 1]!r}")
            opts["env"].append(argv[i + 1])
        else:
            opts[key[2:]] = argv[i + 1]
        i += 2
    rest = argv[i + 1:]
    if "--" in rest:
        k = rest.index("--")
        cmd, base = rest[:k], rest[k + 1:]
    else:
        cmd, base = rest, []
    if not cmd or "out" not in opts or "name" not in opts:
        sys.exit(f"measure.py: need --name, --out and a command\n\n{__doc__}")
    return opts, cmd, base


def run_once(argv, stdin, cwd, prep, ok=(0,), env=()):
    if prep:
        subprocess.run(prep, shell=True, check=True, cwd=cwd)
    exe = shutil.which(argv[0]) or argv[0]
    environ = dict(os.environ)
    environ.update(kv.split("=", 1) for kv in env)
    with open(stdin, "rb") as fin, open(os.devnull, "wb") as fout, \
            tempfile.TemporaryFile() as ferr, \
            tempfile.NamedTemporaryFile("r", suffix=".stat") as stat:
        subprocess.run([RUNSTAT, stat.name, exe] + argv[1:], stdin=fin, stdout=fout,
                       stderr=ferr, cwd=cwd, check=True, env=environ)
        ns, rss, cpu_us, code = (int(x) for x in stat.read().split())
        ferr.seek(0)
        err = ferr.read().decode(errors="replace")[-4000:]
    if code not in ok:
        sys.exit(f"measure.py: {' '.join(argv)} exited {code}\n{err}")
    return {"ms": ns / 1e6, "rss": rss, "cpu_ms": cpu_us / 1000.0}


def summary(samples):
    ms = [s["ms"] for s in samples]
    return {"median_ms": round(statistics.median(ms), 3),
            "min_ms": round(min(ms), 3),
            "max_ms": round(max(ms), 3),
            "samples_ms": [round(x, 3) for x in ms],
            "cpu_ms": round(statistics.median(s["cpu_ms"] for s in samples), 3),
            "peak_rss_kib": max(s["rss"] for s in samples)}


def main():
    opts, cmd, base = parse(sys.argv[1:])
    runs, warmup = int(opts["runs"]), int(opts["warmup"])
    ok = tuple(int(x) for x in opts.get("ok-exit", "0").split(","))
    a, b = [], []
    for i in range(warmup + runs):
        ra = run_once(cmd, opts["stdin"], opts["cwd"], opts.get("prep"), ok, opts["env"])
        rb = (run_once(base, opts["base-stdin"], opts["cwd"], opts.get("base-prep"))
              if base else None)
        if i >= warmup:
            a.append(ra)
            if rb:
                b.append(rb)

    res = {"name": opts["name"], "description": opts.get("desc", ""),
           "n": int(opts["n"]) if "n" in opts else None,
           "storage": opts.get("storage"),
           "command": " ".join(opts["env"] + cmd), "runs": runs}
    res.update(summary(a))
    res.update({"baseline": None, "baseline_ms": None, "baseline_cpu_ms": None,
                "baseline_peak_rss_kib": None, "ratio": None, "pair_ratio": None,
                "cpu_ratio": None})
    if b:
        sb = summary(b)
        res["baseline"] = opts.get("base-name", os.path.basename(base[0]))
        res["baseline_command"] = opts.get("base-show") or " ".join(base) + (
            f" < {opts['base-stdin']}" if opts["base-stdin"] != "/dev/null" else "")
        res["baseline_ms"] = sb["median_ms"]
        res["baseline_samples_ms"] = sb["samples_ms"]
        res["baseline_cpu_ms"] = sb["cpu_ms"]
        res["baseline_peak_rss_kib"] = sb["peak_rss_kib"]
        res["ratio"] = round(res["median_ms"] / sb["median_ms"], 3)
        # Each run against the baseline run right after it: a slow spell of
        # the machine (or of its disk) that lasts a pair of runs cancels out.
        res["pair_ratio"] = round(statistics.median(x["ms"] / y["ms"] for x, y in zip(a, b)), 3)
        # CPU time is not inflated by waiting for a core on a busy machine.
        res["cpu_ratio"] = round(res["cpu_ms"] / sb["cpu_ms"], 3) if sb["cpu_ms"] else None

    targets, passes = [], []
    if "target-ratio" in opts:
        x = float(opts["target-ratio"])
        targets.append(f"ratio <= {x:g}x")
        passes.append(res["ratio"] is not None and res["ratio"] <= x)
    if "target-ms" in opts:
        x = float(opts["target-ms"])
        targets.append(f"< {x:g} ms")
        passes.append(res["median_ms"] < x)
    if "target-rss-kib" in opts:
        x = int(opts["target-rss-kib"])
        targets.append(f"< {x // 1024} MiB RSS" if x % 1024 == 0 else f"< {x} KiB RSS")
        passes.append(res["peak_rss_kib"] < x)
    res["target"] = " and ".join(targets) if targets else None
    res["pass"] = all(passes) if passes else None

    with open(opts["out"], "w") as f:
        json.dump(res, f, indent=2)
        f.write("\n")


if __name__ == "__main__":
    main()
