"""List the file accesses in an strace log that fall outside the allowed folders (issue 17).

    strace -f -qq -e trace=openat,open,creat,rename,renameat,renameat2,unlink,unlinkat,mkdir,mkdirat,link,linkat,symlink,symlinkat \
        -o LOG formalai-lint ROOT ...
    python scripts/strace_outside.py LOG ROOT [ALLOWED_FOLDER]...

Allowed: ROOT, the folders given, `$XDG_CACHE_HOME` (the cache's per-user secret), and what
Python itself opens to start and import (this interpreter's prefixes, the package's own
folder, shared libraries, locale data, multiprocessing's semaphores in /dev/shm). Paths
relative to a directory descriptor are taken as relative to ROOT (the tool opens folders
inside the root only). Exit 1 if anything else is opened, created, renamed or removed.
"""

from __future__ import annotations

import os
import re
import sys

import formalai_lint

CALL = re.compile(
    r"^(?:\d+\s+)?(openat|open|creat|rename|renameat2?|unlink|unlinkat|mkdir|mkdirat|link|linkat|symlink|symlinkat)\((.*)$"
)
PATH = re.compile(r'"((?:[^"\\]|\\.)*)"')


def main() -> int:
    log, root, *extra = sys.argv[1:]
    root = os.path.realpath(root)
    allowed = [root, *map(os.path.realpath, extra)]
    cache_home = os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache")
    allowed.append(os.path.join(cache_home, "formalai-lint"))  # the per-user secret only
    package = os.path.dirname(os.path.dirname(formalai_lint.__file__))
    python = {sys.prefix, sys.base_prefix, sys.exec_prefix, package, *sys.path}
    own = (
        *(p.rstrip("/") + "/" for p in python if p),
        "/lib/", "/usr/lib/", "/usr/local/lib/", "/etc/ld.so", "/usr/share/locale/",
        "/etc/localtime", "/usr/share/zoneinfo/", "/dev/null", "/dev/urandom", "/dev/shm/sem.",
        "/proc/self/", "/proc/sys/vm/", "/sys/devices/system/cpu/",
    )  # fmt: skip
    counts: dict[str, int] = {}
    outside = []
    with open(log, errors="replace") as f:
        for line in f:
            match = CALL.match(line.strip())
            if not match:
                continue
            counts[match[1]] = counts.get(match[1], 0) + 1
            for raw in PATH.findall(match[2]):
                path = raw.encode("latin-1", "replace").decode("unicode_escape", "replace")
                full = os.path.normpath(os.path.join(root, path))
                if any(full == a or full.startswith(a.rstrip("/") + "/") for a in allowed):
                    continue
                if full.startswith(own) or full.rstrip("/") + "/" in own:
                    continue
                outside.append(line.strip()[:200])
    print("calls:", counts)
    print("outside the root and not Python's own:", len(outside))
    for line in outside[:40]:
        print("  ", line)
    return 1 if outside else 0


if __name__ == "__main__":
    sys.exit(main())
