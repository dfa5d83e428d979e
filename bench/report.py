#!/usr/bin/env python3
"""Gather the scenario results of bench/run into one JSON file and print a table.

    report.py --results DIR --out FILE --retort BIN --root REPO --build DIR

DIR holds one NN.json per scenario (written by measure.py, in run order) and
loadavg.start (and postgres.version, postgres.settings when the PostgreSQL
scenarios ran). FILE
gets the machine description and every scenario. A scenario's "notes" (a list
of strings, added by bench/run) are printed under the table. --subst OLD=NEW
rewrites recorded commands (e.g. a server's port as $PG).
"""
import argparse
import datetime
import glob
import json
import os
import platform
import subprocess


def sh(*argv, cwd=None):
    try:
        return subprocess.run(argv, capture_output=True, text=True, cwd=cwd,
                              check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None


def first(path, prefix):
    try:
        with open(path) as f:
            for line in f:
                if line.startswith(prefix):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return None


def os_name():
    try:
        with open("/etc/os-release") as f:
            for line in f:
                if line.startswith("PRETTY_NAME="):
                    return line.split("=", 1)[1].strip().strip('"')
    except OSError:
        pass
    return platform.platform()


def cmake_cache(build, key):
    try:
        with open(os.path.join(build, "CMakeCache.txt")) as f:
            for line in f:
                if line.startswith(key + ":"):
                    return line.split("=", 1)[1].strip()
    except OSError:
        pass
    return None


def machine(args):
    mem_kib = first("/proc/meminfo", "MemTotal")
    cxx = cmake_cache(args.build, "CMAKE_CXX_COMPILER")
    try:
        with open(os.path.join(args.results, "loadavg.start")) as f:
            load_start = " ".join(f.read().split()[:3])
    except OSError:
        load_start = None
    with open("/proc/loadavg") as f:
        load_end = " ".join(f.read().split()[:3])
    dirty = sh("git", "status", "--porcelain", "--", "tool", "cmake", "CMakeLists.txt", "Makefile",
               cwd=args.root)
    try:
        with open(os.path.join(args.results, "postgres.version")) as f:
            postgres = f.read().strip() or None
    except OSError:
        postgres = None
    try:
        with open(os.path.join(args.results, "postgres.settings")) as f:
            postgres_settings = [line.strip() for line in f if line.strip()]
    except OSError:
        postgres_settings = None
    return {
        "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "nproc": len(os.sched_getaffinity(0)),
        "cpu_model": first("/proc/cpuinfo", "model name"),
        "memory_mib": int(mem_kib.split()[0]) // 1024 if mem_kib else None,
        "kernel": platform.release(),
        "os": os_name(),
        "sqlite3_cli": sh("sqlite3", "--version"),
        "postgres_server": postgres,
        "postgres_settings": postgres_settings,
        "cmake": (sh("cmake", "--version") or "").split("\n")[0] or None,
        "ninja": sh("ninja", "--version"),
        "compiler": sh(cxx, "--version").splitlines()[0] if cxx and sh(cxx, "--version") else None,
        "build_type": cmake_cache(args.build, "CMAKE_BUILD_TYPE"),
        "retort_commit": sh("git", "rev-parse", "--short", "HEAD", cwd=args.root),
        "retort_tree_dirty": bool(dirty),
        "loadavg_start": load_start,
        "loadavg_end": load_end,
    }


def fmt_ms(x):
    if x is None:
        return "-"
    return f"{x:.1f}" if x < 100 else f"{x:.0f}"


def table(scenarios):
    head = ["scenario", "N", "storage", "median ms", "cpu ms", "peak RSS", "baseline ms",
            "base cpu", "ratio", "pair ratio", "cpu ratio", "target", "result"]
    rows = []
    for s in scenarios:
        rows.append([
            s["name"], "-" if s["n"] is None else str(s["n"]), s["storage"] or "-", fmt_ms(s["median_ms"]),
            fmt_ms(s["cpu_ms"]), f"{s['peak_rss_kib'] / 1024:.1f} MiB",
            fmt_ms(s["baseline_ms"]), fmt_ms(s.get("baseline_cpu_ms")),
            f"{s['ratio']:.2f}x" if s["ratio"] is not None else "-",
            f"{s['pair_ratio']:.2f}x" if s.get("pair_ratio") is not None else "-",
            f"{s['cpu_ratio']:.2f}x" if s.get("cpu_ratio") is not None else "-",
            s["target"] or "-",
            "-" if s["pass"] is None else ("PASS" if s["pass"] else "FAIL"),
        ])
    widths = [max(len(r[i]) for r in rows + [head]) for i in range(len(head))]
    right = {1, 3, 4, 5, 6, 7, 8, 9, 10}

    def line(r):
        return "  ".join(c.rjust(w) if i in right else c.ljust(w)
                         for i, (c, w) in enumerate(zip(r, widths))).rstrip()
    out = [line(head), line(["-" * w for w in widths])]
    out += [line(r) for r in rows]
    return "\n".join(out)


def main():
    ap = argparse.ArgumentParser()
    for a in ("results", "out", "retort", "root", "build"):
        ap.add_argument("--" + a, required=True)
    ap.add_argument("--tmp", action="append", default=[],
                    help="a temporary directory to show as $TMP in commands")
    ap.add_argument("--subst", action="append", default=[],
                    help="OLD=NEW: rewrite OLD as NEW in commands")
    args = ap.parse_args()

    def shorten(cmd):
        for pair in args.subst:
            old, new = pair.split("=", 1)
            cmd = cmd.replace(old, new)
        for t in args.tmp:
            cmd = cmd.replace(t, "$TMP")
        return cmd.replace(args.build + "/", os.path.relpath(args.build, args.root) + "/")

    scenarios = []
    for path in sorted(glob.glob(os.path.join(args.results, "[0-9]*.json"))):
        with open(path) as f:
            s = json.load(f)
        for key in ("command", "baseline_command"):
            if s.get(key):
                s[key] = shorten(s[key])
        scenarios.append(s)
    m = machine(args)
    doc = {"machine": m, "scenarios": scenarios}
    tmp = args.out + ".tmp"
    with open(tmp, "w") as f:
        json.dump(doc, f, indent=2)
        f.write("\n")
    os.replace(tmp, args.out)

    print()
    print(f"retort {m['retort_commit']}{' (tool/ modified)' if m['retort_tree_dirty'] else ''}"
          f", {m['build_type']} build, {m['compiler']}")
    print(f"{m['nproc']} CPU(s): {m['cpu_model']}, {m['memory_mib']} MiB, Linux {m['kernel']}")
    if m["postgres_server"]:
        print(f"PostgreSQL server {m['postgres_server']} (private, local)")
        for line in m["postgres_settings"] or []:
            print(f"  {line}")
    print(f"sqlite3 {(m['sqlite3_cli'] or '?').split()[0]}; load average {m['loadavg_start']} "
          f"at start, {m['loadavg_end']} at end; {m['date']}")
    print()
    print(table(scenarios))
    print()
    for s in scenarios:
        for note in s.get("notes", []):
            print(f"{s['name']}: {note}")
    print("median of", ", ".join(sorted({str(s["runs"]) for s in scenarios})),
          "runs after one warm-up; ratio = median / baseline median; pair ratio = median of"
          " each run / the baseline run after it; cpu ms = median user+sys CPU time of the"
          " process; peak RSS = the largest of the runs")
    failed = [s for s in scenarios if s["pass"] is False]
    passed = [s for s in scenarios if s["pass"] is True]
    print(f"targets: {len(passed)} passed, {len(failed)} missed"
          + (": " + ", ".join(f"{s['name']} ({s['target']})" for s in failed) if failed else ""))
    try:
        load = float(m["loadavg_start"].split()[0])
        if load > m["nproc"]:
            print(f"warning: the load average ({load:g}) was above the CPU count ({m['nproc']})"
                  " when the run started: wall times include waiting for a CPU")
    except (AttributeError, ValueError):
        pass
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
