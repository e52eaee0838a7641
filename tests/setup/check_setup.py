#!/usr/bin/env python3
"""Set-up check: the build uses only Debian packages that scripts/install-deps.sh brings to a fresh
machine.

A developer's machine (or CI's) may hold packages installed by hand. A build that quietly uses one
passes there and fails on a fresh Debian 12 machine. This check lists every file the build took
from the system -- the package configs CMake's find_package() found (the *_DIR cache entries), the
libraries and tools it recorded (FILEPATH entries), every header the compiler read and every
library and tool the build commands name (from Ninja's deps log and command list) -- maps each to
its package with `dpkg-query -S`, and fails unless that package is in scripts/packages.txt or in the
dependency closure of that list (Depends and Pre-Depends of what is installed, as apt would pull
them in with --no-install-recommends), or is Essential (present on every Debian system).

Usage: check_setup.py --build-dir DIR --packages FILE [--tool NAME]... [--without PKG]...
                      [--expect-missing PKG]
  --tool NAME            also check the program NAME found on PATH (tools the tests run)
  --without PKG          pretend PKG is not in the list (to show what the check catches)
  --expect-missing PKG   invert: succeed only if the check fails and names PKG
Exit status: 0 when every file is accounted for, 1 otherwise, 2 on bad usage.
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
from collections import defaultdict


def read_package_list(path):
    names = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            fields = line.split("#", 1)[0].split()
            # `name @group` lines are for `install-deps.sh --with group` only (make fuzz), not
            # for the build this check judges.
            if len(fields) == 1:
                names.append(fields[0])
    return names


def cache_files(build_dir):
    """Files named by CMakeCache.txt: package configs (*_DIR) and found files (FILEPATH)."""
    found = {}  # path -> why
    cache = os.path.join(build_dir, "CMakeCache.txt")
    entry = re.compile(r"^([A-Za-z0-9_.+-]+):(PATH|FILEPATH|STRING|UNINITIALIZED)=(.*)$")
    with open(cache, encoding="utf-8", errors="replace") as f:
        for line in f:
            m = entry.match(line.rstrip("\n"))
            if not m:
                continue
            name, kind, value = m.groups()
            if not value.startswith("/"):
                continue
            if kind == "PATH" and name.endswith("_DIR") and not name.endswith("_INCLUDE_DIR") and os.path.isdir(value):
                # The package config find_package() read in that folder.
                stem = name[: -len("_DIR")]
                for cand in (f"{stem}Config.cmake", f"{stem.lower()}-config.cmake", f"{stem}-config.cmake"):
                    p = os.path.join(value, cand)
                    if os.path.isfile(p):
                        found[p] = f"CMake package config {name}"
                        break
            elif kind == "FILEPATH" and os.path.isfile(value):
                found[value] = f"CMake cache entry {name}"
    return found


def ninja_files(build_dir, source_dir):
    """Headers the compiler read (deps log) and absolute paths in the build commands."""
    found = {}
    if not os.path.isfile(os.path.join(build_dir, "build.ninja")):
        return found
    ninja = shutil.which("ninja") or shutil.which("ninja-build")
    if ninja is None:
        sys.exit("check_setup: ninja not found on PATH")
    local = (os.path.realpath(build_dir) + os.sep, os.path.realpath(source_dir) + os.sep)

    def outside(p):
        rp = os.path.realpath(p)
        return not rp.startswith(local) and not p.startswith(local)

    deps = subprocess.run([ninja, "-C", build_dir, "-t", "deps"], capture_output=True, text=True, check=True).stdout
    for line in deps.splitlines():
        if line.startswith("    /"):
            p = line.strip()
            if outside(p) and os.path.isfile(p):
                found.setdefault(p, "header read by the compiler")
    cmds = subprocess.run([ninja, "-C", build_dir, "-t", "commands"], capture_output=True, text=True, check=True).stdout
    token = re.compile(r"(?:^|[\s=\"'])(/[^\s\"';:]+)")
    lib_dirs = ["/usr/lib/x86_64-linux-gnu", "/usr/lib", "/lib/x86_64-linux-gnu"]
    for line in cmds.splitlines():
        for p in token.findall(line):
            if outside(p) and os.path.isfile(p) and not p.startswith(("/tmp/", "/proc/", "/dev/")):
                found.setdefault(p, "named by a build command")
        for name in re.findall(r"(?:^|\s)-l([A-Za-z0-9_+.-]+)", line):
            for d in lib_dirs:
                for ext in (".so", ".a"):
                    p = os.path.join(d, "lib" + name + ext)
                    if os.path.exists(p):
                        found.setdefault(p, f"library -l{name}")
                        break
                else:
                    continue
                break
    return found


def owners(paths):
    """path -> set of packages owning it (dpkg-query -S), trying the /usr-merged twin and the real path."""
    result = {}
    candidates = {}
    for p in paths:
        c = [p, os.path.realpath(p)]
        for q in list(c):
            if q.startswith("/usr/lib/") or q.startswith("/usr/bin/") or q.startswith("/usr/sbin/"):
                c.append(q[len("/usr"):])
            elif q.startswith(("/lib/", "/bin/", "/sbin/")):
                c.append("/usr" + q)
        candidates[p] = list(dict.fromkeys(c))
    queries = sorted({q for c in candidates.values() for q in c})
    owned = defaultdict(set)
    for i in range(0, len(queries), 400):
        batch = queries[i : i + 400]
        out = subprocess.run(["dpkg-query", "-S", *batch], capture_output=True, text=True).stdout
        for line in out.splitlines():
            if ": " not in line or line.startswith("diversion "):
                continue
            pkgs, path = line.split(": ", 1)
            for pkg in pkgs.split(", "):
                owned[path.strip()].add(pkg.split(":")[0].strip())
    for p, c in candidates.items():
        for q in c:
            if owned.get(q):
                result[p] = owned[q]
                break
    return result


def installed_graph():
    """Installed packages: name -> (deps as lists of alternatives, essential); virtual -> providers."""
    fmt = "${Package}\\t${db:Status-Abbrev}\\t${Essential}\\t${Pre-Depends}\\t${Depends}\\t${Provides}\\n"
    out = subprocess.run(["dpkg-query", "-W", "-f", fmt], capture_output=True, text=True, check=True).stdout
    deps, essential, provides = {}, set(), defaultdict(set)
    for line in out.splitlines():
        parts = line.split("\t")
        if len(parts) < 6 or not parts[1].startswith("ii"):
            continue
        name = parts[0]
        if parts[2].strip() == "yes":
            essential.add(name)
        alts = []
        for field in (parts[3], parts[4]):
            for clause in filter(None, (c.strip() for c in field.split(","))):
                alts.append([re.split(r"[\s(:]", a.strip(), 1)[0] for a in clause.split("|")])
        deps[name] = alts
        for prov in filter(None, (c.strip() for c in parts[5].split(","))):
            provides[re.split(r"[\s(:]", prov, 1)[0]].add(name)
    return deps, essential, provides


def closure(roots, deps, provides):
    """What installing `roots` brings in, judged on this machine's installed packages: every
    dependency, and for an alternative (a | b) or a virtual package whichever installed package
    satisfies it."""
    seen, stack = set(), list(roots)
    while stack:
        name = stack.pop()
        for target in [name, *sorted(provides.get(name, ()))]:
            if target in seen or target not in deps:
                continue
            seen.add(target)
            for alternatives in deps[target]:
                stack.extend(alternatives)
    return seen


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--build-dir", required=True)
    ap.add_argument("--source-dir", default=os.path.join(os.path.dirname(__file__), "..", ".."))
    ap.add_argument("--packages", required=True)
    ap.add_argument("--tool", action="append", default=[])
    ap.add_argument("--without", action="append", default=[])
    ap.add_argument("--expect-missing")
    args = ap.parse_args()
    if shutil.which("dpkg-query") is None:
        print("check_setup: dpkg-query not found: this check needs a Debian system")
        return 2

    listed = [p for p in read_package_list(args.packages) if p not in args.without]
    deps, essential, provides = installed_graph()
    not_installed = [p for p in listed if p not in deps and not provides.get(p)]
    allowed = closure(listed, deps, provides) | closure(essential, deps, provides)

    used = cache_files(args.build_dir)
    for k, v in ninja_files(args.build_dir, args.source_dir).items():
        used.setdefault(k, v)
    for tool in args.tool:
        p = shutil.which(tool)
        if p is None:
            print(f"check_setup: the tests run `{tool}`, which is not on PATH: add its package to {args.packages}")
            not_installed.append(tool)
        else:
            used.setdefault(p, f"tool `{tool}` the tests run")

    own = owners(used.keys())
    problems = defaultdict(list)  # package -> files
    foreign = []
    for path, why in sorted(used.items()):
        pkgs = own.get(path)
        if not pkgs:
            foreign.append((path, why))
            continue
        if not pkgs & allowed:
            problems[", ".join(sorted(pkgs))].append(f"{path} ({why})")

    print(f"check_setup: {len(used)} files used by the build, {len(own)} from {len(set().union(*own.values()) if own else 0)} "
          f"Debian packages; {len(listed)} listed in {os.path.basename(args.packages)}, {len(allowed)} packages in their closure")
    for path, why in foreign:
        # Files no package owns: generated ones (alternatives links resolve above), or software
        # installed outside Debian (a pyenv python3 on PATH). Neither is Debian's to install.
        print(f"check_setup: note: {path} ({why}) belongs to no Debian package; not checked")
    for p in not_installed:
        print(f"check_setup: listed package {p} is not installed: run scripts/install-deps.sh")
    for pkg, files in sorted(problems.items()):
        print(f"check_setup: package {pkg} is used by the build but not brought in by {args.packages} "
              f"(nor by what it depends on); add it there. Files from it:")
        for f in files[:8]:
            print(f"    {f}")
        if len(files) > 8:
            print(f"    ... and {len(files) - 8} more")
    failed = bool(problems) or bool(not_installed)

    if args.expect_missing:
        named = any(args.expect_missing in pkg.split(", ") for pkg in problems)
        if failed and named:
            print(f"check_setup: as expected, a list without {', '.join(args.without)} is caught ({args.expect_missing} missing)")
            return 0
        print(f"check_setup: expected the check to fail naming {args.expect_missing}, but it did not")
        return 1
    print("check_setup: " + ("FAILED" if failed else "ok: every file the build uses comes from a listed package"))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
