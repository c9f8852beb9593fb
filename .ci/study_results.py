#!/usr/bin/env python3
"""The whole study's run results against a record made on another machine.

README promises that a run with the portable product kernel gives the same bits on every
x86-64 CPU with AVX2 and FMA. GoldenResultTests checks that for short runs of every
protocol; this checks it for every run of the report (full length, every seed), by
comparing each run's data file in a built site with the hash recorded, for the same engine
version and the same configuration, on whatever machine made the record.

Usage:
  study_results.py check  SITE RECORD   compare; exits 1 listing every run whose bits moved
  study_results.py record SITE RECORD   write RECORD from SITE (after an intended change)

A run is compared when the record has it under the same name with the same configuration;
a run that is new, or whose configuration changed, is listed and not compared. A record
made by another engine version compares nothing and fails: re-record after an engine bump.
"""

import hashlib
import json
import os
import platform
import sys

RERECORD = "python3 .ci/study_results.py record build .ci/study-results.json"


def plural(count):
    return f"{count} run" if count == 1 else f"{count} runs"


def sha256(data):
    return hashlib.sha256(data).hexdigest()


def site_runs(site):
    """{name: (config hash, file hash)} of the site's portable-kernel runs, and its engine."""
    with open(os.path.join(site, "manifest.json"), encoding="utf-8") as f:
        engine = json.load(f)["engine"]
    folder = os.path.join(site, "data", "runs")
    runs = {}
    for name in sorted(os.listdir(folder)):
        if not name.endswith(".json"):
            continue
        with open(os.path.join(folder, name), "rb") as f:
            data = f.read()
        config = json.loads(data)["config"]
        if config.get("kernel") != "portable":
            continue  # another kernel's bits depend on the CPU (README, Reproducibility)
        canonical = json.dumps(config, sort_keys=True, separators=(",", ":")).encode()
        runs[name[: -len(".json")]] = (sha256(canonical), sha256(data))
    return engine, runs


def machine():
    model, family, number, wide = "unknown CPU", "?", "?", False
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                key, _, value = line.partition(":")
                key, value = key.strip(), value.strip()
                if key == "model name":
                    model = value
                elif key == "cpu family":
                    family = value
                elif key == "model":
                    number = value
                elif key == "flags":
                    wide = "avx512f" in value.split()
                    break
    except OSError:
        pass
    vector = "AVX-512" if wide else "no AVX-512"
    return f"{model}, family {family} model {number} ({vector}); Linux {platform.release()}"


def record(site, path):
    engine, found = site_runs(site)
    if not found:
        sys.exit(f"study results: {site} has no portable-kernel runs to record")
    body = {
        "engine": engine,
        "recorded_on": machine(),
        "runs": {name: {"config": c, "result": r} for name, (c, r) in found.items()},
    }
    with open(path, "w", encoding="utf-8") as f:
        json.dump(body, f, indent=1, sort_keys=True)
        f.write("\n")
    print(f"study results: recorded {plural(len(found))} of engine {engine} on {body['recorded_on']}")


def check(site, path):
    with open(path, encoding="utf-8") as f:
        expected = json.load(f)
    engine, found = site_runs(site)
    where = expected["recorded_on"]
    if expected["engine"] != engine:
        sys.exit(
            f"study results: the record is for engine {expected['engine']} and this site for engine "
            f"{engine}; nothing was compared. After an engine bump, re-record: {RERECORD}")
    moved, unrecorded, same = [], [], 0
    for name, (config, result) in found.items():
        entry = expected["runs"].get(name)
        if entry is None or entry["config"] != config:
            unrecorded.append(name)
        elif entry["result"] != result:
            moved.append(name)
        else:
            same += 1
    if unrecorded:
        print(f"study results: not compared, new or with another configuration since the record "
              f"({plural(len(unrecorded))}): {', '.join(unrecorded)}")
    if moved:
        print(f"study results: {plural(len(moved))} with other bits than on {where}, with the same "
              f"engine and configuration:")
        for name in moved:
            print(f"  data/runs/{name}.json")
        print("  a change of the engine's arithmetic bumps EngineInfo.version and re-records: "
              + RERECORD)
        sys.exit(1)
    if same == 0:
        sys.exit(f"study results: no run of {site} could be compared with {path}; re-record: {RERECORD}")
    print(f"study results: {plural(same)} bit-identical to the record made on {where}")
    print(f"  this machine: {machine()}")


def main():
    if len(sys.argv) != 4 or sys.argv[1] not in ("check", "record"):
        sys.exit(__doc__)
    (check if sys.argv[1] == "check" else record)(sys.argv[2], sys.argv[3])


if __name__ == "__main__":
    main()
