"""How our build's time grows with the number of plans: t(large) / t(small), measured in one run.

This VM's speed drifts by ±20 % over minutes, so timing ``make bench N=1000`` and ``make bench N=5000``
at different moments gives anything from 4.2 to 6.6 for the same code. Here both corpora are generated
once and built alternately (small, large, small, large, …), each build cold (a new site folder, so no
parsed plans or QR codes are reused), and the ratio is taken of the median wall times. CPU seconds
(user + system of the build and the processes it waited for) are printed beside them: they do not
count time stolen by other machines. The last line is one JSON object.

    .venv/bin/python tests/bench/scaling.py 1000 5000 [--rounds 3]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parents[1] / "hooks"), str(HERE)]

from bench import CPU_SECONDS, HOOKS, cache_folders, drop_new_caches, must, ours_config, run, scratch_dir  # noqa: E402
from corpus import generate  # noqa: E402


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("small", type=int, nargs="?", default=1000)
    parser.add_argument("large", type=int, nargs="?", default=5000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    work = scratch_dir("kehoach-scaling-")
    env = dict(os.environ, PYTHONPATH=str(HOOKS), NO_MKDOCS_2_WARNING="1")
    env.pop("KEHOACH_UNIT", None)
    try:
        corpora = {n: generate(n, work / f"corpus-{n}") for n in (args.small, args.large)}
        config = ours_config(work)
        times: dict[int, list[tuple[float, float]]] = {n: [] for n in corpora}
        caches = cache_folders()
        for round_ in range(args.rounds):
            for n, plans in corpora.items():
                site, log = work / f"site-{n}-{round_}", work / f"build-{n}.log"
                cmd = [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config), "-d", str(site)]
                build_env = dict(env, KEHOACH_PLANS_DIR=str(plans), KEHOACH_BENCH_OUT=str(work / "stages.json"))
                build_env["KEHOACH_CACHE_DIR"] = str(work / f"cache-{n}-{round_}")  # cold: nothing kept before
                wall, _ = must(run(cmd, build_env, log), f"build of {n}", log)
                times[n].append((wall, CPU_SECONDS[log.stem]))
                print(f"N={n}: {wall:.2f} s wall, {CPU_SECONDS[log.stem]:.2f} s CPU", flush=True)
                shutil.rmtree(site, ignore_errors=True)
                drop_new_caches(caches)  # this build's parsed plans and QR codes: the next one starts cold too
        wall = {n: statistics.median(w for w, _ in runs) for n, runs in times.items()}
        cpu = {n: statistics.median(c for _, c in runs) for n, runs in times.items()}
        result = {
            "small": args.small,
            "large": args.large,
            "rounds": args.rounds,
            "wall_s": {str(n): [round(w, 2) for w, _ in runs] for n, runs in times.items()},
            "cpu_s": {str(n): [round(c, 2) for _, c in runs] for n, runs in times.items()},
            "wall_ratio": round(wall[args.large] / wall[args.small], 2),
            "cpu_ratio": round(cpu[args.large] / cpu[args.small], 2),
        }
        print(
            f"t({args.large}) / t({args.small}): {result['wall_ratio']} (median wall), "
            f"{result['cpu_ratio']} (median CPU); "
            f"linear would be {args.large / args.small:g}"
        )
        print(json.dumps(result))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
