#!/usr/bin/env python3
"""Package check: build the .deb with CPack from a build folder, look inside it, unpack it into a
temporary prefix with `dpkg-deb -x` and run the unpacked lockstep-cli and lockstep from there.

What it proves: the package holds the programs, the lessons, the desktop entry, the AppStream
metainfo (valid), the icon and the licence; its Depends were computed (dpkg-shlibdeps) and name
Qt; and an unpacked copy finds its lessons relative to its own prefix, not in the source tree.

Usage: check_package.py --build-dir DIR [--keep]
"""

import argparse
import glob
import json
import os
import shutil
import subprocess
import sys
import tempfile

REQUIRED = [
    "usr/bin/lockstep",
    "usr/bin/lockstep-cli",
    "usr/share/applications/io.github.lockstep.Lockstep.desktop",
    "usr/share/metainfo/io.github.lockstep.Lockstep.metainfo.xml",
    "usr/share/icons/hicolor/scalable/apps/io.github.lockstep.Lockstep.svg",
    "usr/share/doc/lockstep/copyright",
    "usr/share/lockstep/lessons/counter.json",
]

failures = []


def check(ok, what):
    print(("ok    " if ok else "FAIL  ") + what)
    if not ok:
        failures.append(what)
    return ok


def run(cmd, **kw):
    return subprocess.run(cmd, capture_output=True, text=True, **kw)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build-dir", required=True)
    ap.add_argument("--keep", action="store_true")
    args = ap.parse_args()
    for tool in ("cpack", "dpkg-deb", "appstreamcli", "desktop-file-validate"):
        if shutil.which(tool) is None:
            print(f"check_package: {tool} not found: run scripts/install-deps.sh")
            return 1
    work = tempfile.mkdtemp(prefix="lockstep-package-")
    try:
        config = os.path.join(os.path.abspath(args.build_dir), "CPackConfig.cmake")
        r = run(["cpack", "--config", config, "-G", "DEB", "-B", work])
        if not check(r.returncode == 0, "cpack -G DEB builds the package"):
            print(r.stdout[-4000:], r.stderr[-4000:])
            return 1
        debs = glob.glob(os.path.join(work, "lockstep_*.deb"))
        if not check(len(debs) == 1, f"one lockstep_*.deb (found {[os.path.basename(d) for d in debs]})"):
            return 1
        deb = debs[0]
        print(f"      {os.path.basename(deb)}: {os.path.getsize(deb) / 1e6:.1f} MB")

        fields = run(["dpkg-deb", "-f", deb, "Package", "Version", "Architecture", "Depends"]).stdout
        print("      " + fields.strip().replace("\n", "\n      "))
        depends = next((l.split(":", 1)[1] for l in fields.splitlines() if l.startswith("Depends:")), "")
        check("libqt6widgets6" in depends and "libqt6core6" in depends and "libc6" in depends,
              "Depends computed from the linked libraries (libc6, libqt6core6, libqt6widgets6)")
        check("qt6-qpa-plugins" in depends, "Depends names the platform plugins")

        listing = run(["dpkg-deb", "-c", deb]).stdout
        names = {line.split()[-1].lstrip("./") for line in listing.splitlines() if line.split()}
        for path in REQUIRED:
            check(path in names, f"package contains {path}")
        shipped = sorted(os.path.basename(p) for p in glob.glob(os.path.join(os.path.dirname(__file__), "..", "..", "lessons", "*.json")))
        packaged = sorted(os.path.basename(n) for n in names if n.startswith("usr/share/lockstep/lessons/") and n.endswith(".json"))
        check(shipped == packaged, f"package holds every shipped lesson ({len(packaged)} of {len(shipped)})")

        root = os.path.join(work, "root")
        r = run(["dpkg-deb", "-x", deb, root])
        check(r.returncode == 0, "dpkg-deb -x unpacks it into a temporary prefix")
        meta = os.path.join(root, REQUIRED[3])
        r = run(["appstreamcli", "validate", "--no-net", meta])
        check(r.returncode == 0, "appstreamcli validate passes on the metainfo: " + r.stdout.strip().splitlines()[-1] if r.stdout.strip() else "appstreamcli validate")
        r = run(["desktop-file-validate", os.path.join(root, REQUIRED[2])])
        check(r.returncode == 0 and "error" not in r.stdout, "desktop-file-validate passes on the desktop entry " + r.stdout.strip())
        with open(meta, encoding="utf-8") as f:
            check("<project_license>MIT</project_license>" in f.read(), "metainfo licence is MIT, as LICENSE")
        with open(os.path.join(root, REQUIRED[5]), encoding="utf-8") as f:
            check(f.read().startswith("MIT License"), "copyright file is the MIT licence")

        # Run the unpacked copy with nothing pointing at the source tree.
        env = {k: v for k, v in os.environ.items() if k not in ("LOCKSTEP_LESSONS", "DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
        cli = os.path.join(root, "usr/bin/lockstep-cli")
        r = run([cli, "list", "--json"], env=env, cwd=work, timeout=120)
        if check(r.returncode == 0, "unpacked lockstep-cli list runs"):
            lessons = json.loads(r.stdout)
            prefix = os.path.realpath(os.path.join(root, "usr/share/lockstep/lessons"))
            check(len(lessons) == len(shipped) and all(os.path.realpath(l["path"]).startswith(prefix) for l in lessons),
                  f"it lists {len(lessons)} lessons, all read from the unpacked prefix")
        else:
            print(r.stderr)
        r = run([cli, "run", "counter", "--variant", "with-lock", "--param", "increments=500", "--summary", "-"],
                env=env, cwd=work, timeout=120)
        ok = r.returncode == 0
        if ok:
            summary = json.loads(r.stdout)
            ok = summary.get("outcome") == "completed"
        check(ok, "unpacked lockstep-cli runs a lesson (counter/with-lock: completed)")
        if not ok:
            print(r.stdout[-2000:], r.stderr[-2000:])
        r = run([os.path.join(root, "usr/bin/lockstep"), "--version"], env=env, cwd=work, timeout=60)
        check(r.returncode == 0 and "lockstep" in r.stdout, "unpacked lockstep --version runs without a display")
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
        else:
            print(f"kept {work}")
    print(f"check_package: {'FAILED: ' + '; '.join(failures) if failures else 'ok'}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
