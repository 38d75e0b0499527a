#!/bin/bash
# A hostile repository for the file-access attacks of issue 17 (items 1-5, 11, 12), built on
# scripts/hostile_tree.py (and a copy of a corpus, if given). Then run formalai-lint in it
# under strace and check with scripts/strace_outside.py that nothing outside it is touched:
#
#   bash scripts/hostile_repo.sh /tmp/rt [CORPUS]
#   cd /tmp/rt/repo && strace -f -qq -e trace=openat,open,creat,rename,renameat,renameat2,unlink,unlinkat,mkdir,mkdirat \
#       -o /tmp/rt/log formalai-lint . --output-format sarif --output-file formalai-lint.sarif
#   python scripts/strace_outside.py /tmp/rt/log /tmp/rt/repo
set -eu
BASE=$1; CORPUS=${2:-}
HERE=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$BASE/outside"
python "$HERE/hostile_tree.py" "$BASE/repo" ${CORPUS:+--corpus "$CORPUS"} >/dev/null
R="$BASE/repo"; cd "$R"; mkdir -p .git
printf 'exclude = ["*"]\n' > "$BASE/.formalai-lint.toml"                 # 11: a config above the repo
printf 'select = ["ALL"]\nmax-file-size = 1_000_000\n' > .formalai-lint.toml
echo precious > "$BASE/outside/victim"; echo secret > "$BASE/outside/secret"
printf '# 外\n\n## 目录\n\n- [外](#外)\n  - [一](#一)\n\n## 一\n\n## 二\n' > "$BASE/outside/o.md"
ln -s "$BASE/outside" linkdir                                             # 3: --fix linkdir/o.md
ln -s "$BASE/outside/victim" formalai-lint.sarif                          # 2: --output-file
ln -s "$BASE/outside/victim2" baseline.json                               # 2: --write-baseline (dangling)
mkdir .formalai-lint-cache
ln -s "$BASE/outside/secret" .formalai-lint-cache/valid-config            # 5
mkfifo .formalai-lint-cache/CACHEDIR.TAG                                  # 5
for pid in $(seq 1 400); do                                               # 1: the old temporary names
  ln -s "$BASE/outside/victim" ".formalai-lint-cache/.gitignore.$pid.tmp"
done
printf '# café\n\n[x](a.md)\n' > "$(printf 'caf\xe9.md')"                # 12
cp "$BASE/outside/o.md" hl.md; ln hl.md hl-twin.md                        # 4: hard links
cp "$BASE/outside/o.md" ro.md; chmod 444 ro.md                            # 4: read-only
echo "hostile repository: $R"
