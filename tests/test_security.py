"""Attacks a hostile repository or pull request can make on the files the tool reads and
writes (issue 17, items 1–5 and 10–12). Each test performs the attack; see the README's
"Security model"."""

from __future__ import annotations

import builtins
import hashlib
import io
import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner

from formalai_lint import cache, safeio, source
from formalai_lint.cli import main

# A document whose TOC is stale (fixable by --fix) and that has a broken link (FL202).
STALE = """# 标题

## 目录

- [标题](#标题)
  - [目录](#目录)
  - [一、甲](#一甲)

## 一、甲

正文，见[缺失](missing.md)。

## 二、乙

正文。
"""
BROKEN = "# 文档\n\n见[缺失](missing.md)。\n"


def cli(cwd: Path, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[bytes]:
    """The command line in a process of its own, its output as bytes."""
    return subprocess.run(
        [sys.executable, "-m", "formalai_lint", *args],
        cwd=cwd,
        capture_output=True,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
    )


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """tmp/project (a git repository with one document) beside tmp/outside (not in it)."""
    root = tmp_path / "project"
    (root / ".git").mkdir(parents=True)
    (root / "doc.md").write_text(BROKEN, encoding="utf-8")
    (tmp_path / "outside").mkdir()
    return root


def one_error_line(result: subprocess.CompletedProcess[bytes]) -> str:
    stderr = result.stderr.decode()
    assert result.returncode == 2, stderr
    assert "Traceback" not in stderr and "internal error" not in stderr
    lines = [line for line in stderr.splitlines() if line.startswith("formalai-lint: error:")]
    assert len(lines) == 1, stderr
    return lines[0]


# -- item 1: predictable temporary names in the cache ------------------------------------


def test_symlinks_planted_at_the_cache_temporary_names_are_never_written_through(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (project / ".formalai-lint.toml").write_text('select = ["ALL"]\n', encoding="utf-8")
    folder = project / ".formalai-lint-cache"
    folder.mkdir()
    victims = []
    pid = os.getpid()  # CliRunner runs in this process: the names the old code would use
    names = [".gitignore", "CACHEDIR.TAG", "valid-config", *(f"{'0' * 24}.jsonl",)]
    for i, name in enumerate(names):
        victim = project.parent / "outside" / f"victim{i}"
        victim.write_text("precious\n")
        victims.append(victim)
        (folder / f"{name}.{pid}.tmp").symlink_to(victim)
    # the cache file's own name too, for whatever key this run has
    monkeypatch.chdir(project)
    result = CliRunner().invoke(main, ["."])
    assert result.exit_code == 1, result.output
    key_file = next(folder.glob("*.jsonl"))
    (folder / f"{key_file.name}.{pid}.tmp").symlink_to(victims[-1])
    key_file.unlink()
    assert CliRunner().invoke(main, ["."]).exit_code == 1
    for victim in victims:
        assert victim.read_text() == "precious\n"
    assert (folder / ".gitignore").read_text() == "*\n"


def test_safeio_write_refuses_a_symlink_and_a_folder_out_of_the_root(tmp_path: Path) -> None:
    root, outside = tmp_path / "root", tmp_path / "outside"
    root.mkdir()
    outside.mkdir()
    (root / "link").symlink_to(outside / "target")
    with pytest.raises(safeio.UnsafeWrite):
        safeio.write(root / "link", b"x", root)
    assert not (outside / "target").exists()
    (root / "dir").symlink_to(outside, target_is_directory=True)
    with pytest.raises(safeio.UnsafeWrite):
        safeio.write(root / "dir" / "new", b"x", root)
    assert list(outside.iterdir()) == []
    safeio.write(root / "new", b"ok", root)
    assert (root / "new").read_bytes() == b"ok"
    assert sorted(p.name for p in root.iterdir()) == ["dir", "link", "new"]  # no temporary


# -- item 2: --output-file and --write-baseline through a committed symlink ---------------


@pytest.mark.parametrize("flag", ["--output-file", "--write-baseline"])
@pytest.mark.parametrize("dangling", [False, True])
def test_an_output_file_that_is_a_committed_symlink_is_refused(
    project: Path, flag: str, dangling: bool
) -> None:
    victim = project.parent / "outside" / "victim"
    if not dangling:
        victim.write_text("precious\n")
    (project / "formalai-lint.sarif").symlink_to(victim)
    line = one_error_line(cli(project, "--no-cache", flag, "formalai-lint.sarif"))
    assert "symbolic link" in line
    if dangling:
        assert not victim.exists()
    else:
        assert victim.read_text() == "precious\n"


def test_an_output_file_in_a_folder_that_leads_outside_is_refused(project: Path) -> None:
    outside = project.parent / "outside"
    (project / "reports").symlink_to(outside, target_is_directory=True)
    line = one_error_line(cli(project, "--no-cache", "--output-file", "reports/out.sarif"))
    assert "out of the project root" in line
    assert list(outside.iterdir()) == []


def test_an_output_file_outside_the_project_is_the_users_choice(project: Path) -> None:
    target = project.parent / "outside" / "deep" / "out.json"
    result = cli(project, "--no-cache", "--output-format", "json", "--output-file", str(target))
    assert result.returncode == 1, result.stderr
    assert json.loads(target.read_text())[0]["code"] == "FL202"


@pytest.mark.parametrize("target", ["/dev/null", "/dev/stdout"])
def test_an_output_file_that_is_a_device_outside_the_project_is_written_not_replaced(
    project: Path, target: str
) -> None:
    before = os.stat("/dev/null")
    result = cli(project, "--no-cache", "--output-file", target)
    assert result.returncode == 1, result.stderr
    assert (b"FL202" in result.stdout) == (target == "/dev/stdout")
    after = os.stat("/dev/null")
    assert (after.st_mode, after.st_rdev, after.st_ino) == (
        before.st_mode,
        before.st_rdev,
        before.st_ino,
    )


# -- item 3: a symlinked folder on the command line does not move the root ----------------


def test_a_symlinked_folder_on_the_command_line_does_not_move_the_root(project: Path) -> None:
    outside = project.parent / "outside"
    (outside / "o.md").write_text(STALE, encoding="utf-8")
    (outside / ".formalai-lint.toml").write_text('select = ["FL1"]\n', encoding="utf-8")
    (project / "linkdir").symlink_to(outside, target_is_directory=True)
    result = cli(project, "--fix", "linkdir/o.md")
    out = result.stdout.decode()
    assert result.returncode == 1, result.stderr
    assert "linkdir/o.md:1:1: FL001" in out and "outside the project root" in out
    assert (outside / "o.md").read_text(encoding="utf-8") == STALE  # never fixed
    assert sorted(p.name for p in outside.iterdir()) == [".formalai-lint.toml", "o.md"]
    assert (project / ".formalai-lint-cache").is_dir()  # the root stayed the project


def test_a_symlinked_folder_leading_outside_is_an_error_not_an_empty_run(project: Path) -> None:
    (project.parent / "outside" / "o.md").write_text(BROKEN, encoding="utf-8")
    (project / "linkdir").symlink_to(project.parent / "outside", target_is_directory=True)
    line = one_error_line(cli(project, "--no-cache", "linkdir"))
    assert "outside the project root" in line


def test_a_symlink_to_a_whole_project_still_finds_its_config(tmp_path: Path) -> None:
    real = tmp_path / "real"
    real.mkdir()
    (real / ".formalai-lint.toml").write_text('ignore = ["FL202"]\n', encoding="utf-8")
    (real / "doc.md").write_text(BROKEN, encoding="utf-8")
    (tmp_path / "link").symlink_to(real, target_is_directory=True)
    result = cli(tmp_path, "--no-cache", "link/doc.md")
    assert result.returncode == 0, result.stdout + result.stderr


# -- item 4: --fix keeps owner and mode; read-only and hard-linked files are skipped ------


def test_fix_keeps_the_owner_and_the_mode(project: Path) -> None:
    doc = project / "toc.md"
    doc.write_text(STALE, encoding="utf-8")
    doc.chmod(0o664)
    if os.getuid() == 0:
        os.chown(doc, 1234, 5678)
    before = doc.stat()
    result = cli(project, "--no-cache", "--fix", "--select", "FL1", "toc.md")
    assert result.returncode == 0, result.stderr
    after = doc.stat()
    assert doc.read_text(encoding="utf-8") != STALE
    assert (after.st_mode, after.st_uid, after.st_gid) == (
        before.st_mode,
        before.st_uid,
        before.st_gid,
    )


def test_fix_skips_read_only_and_hard_linked_files(project: Path) -> None:
    locked, linked = project / "locked.md", project / "linked.md"
    for doc in (locked, linked):
        doc.write_text(STALE, encoding="utf-8")
    locked.chmod(0o444)
    os.link(linked, project / "twin.md")
    result = cli(project, "--no-cache", "--fix", "--select", "FL1", "locked.md", "linked.md")
    stderr = result.stderr.decode()
    assert "locked.md: not fixed: it is read-only" in stderr
    assert "linked.md: not fixed: it has 2 hard links" in stderr
    assert locked.read_text(encoding="utf-8") == STALE
    assert linked.read_text(encoding="utf-8") == STALE
    assert os.path.samefile(linked, project / "twin.md")
    assert locked.stat().st_mode & 0o777 == 0o444


# -- item 5: the tool's own files are read safely; --no-cache does not read them ----------


@pytest.mark.parametrize("kind", ["fifo", "dev-zero", "outside"])
@pytest.mark.parametrize("no_cache", [True, False])
def test_a_hostile_valid_config_mark_is_never_read_through(
    project: Path, kind: str, no_cache: bool
) -> None:
    (project / ".formalai-lint.toml").write_text('select = ["ALL"]\n', encoding="utf-8")
    folder = project / ".formalai-lint-cache"
    folder.mkdir()
    mark = folder / "valid-config"
    if kind == "fifo":
        os.mkfifo(mark)
    elif kind == "dev-zero":
        mark.symlink_to("/dev/zero")
    else:
        secret = project.parent / "outside" / "secret"
        secret.write_text("not yours\n")
        mark.symlink_to(secret)
    result = cli(project, *(["--no-cache"] if no_cache else []), ".", timeout=60)
    assert result.returncode == 1, result.stderr  # finished, FL202 found
    assert b"FL202" in result.stdout


@pytest.mark.parametrize("no_cache", [True, False])
def test_the_valid_config_mark_is_not_opened_outside_the_root_nor_with_no_cache(
    project: Path, monkeypatch: pytest.MonkeyPatch, no_cache: bool
) -> None:
    (project / ".formalai-lint.toml").write_text('select = ["ALL"]\n', encoding="utf-8")
    folder = project / ".formalai-lint-cache"
    folder.mkdir()
    secret = project.parent / "outside" / "secret"
    secret.write_text("not yours\n")
    (folder / "valid-config").symlink_to(secret)
    opened: list[str] = []

    def spy(real):  # type: ignore[no-untyped-def]
        def opening(name, *args, **kwargs):  # type: ignore[no-untyped-def]
            result = real(name, *args, **kwargs)
            if isinstance(name, (str, bytes, os.PathLike)):
                opened.append(os.path.realpath(name))
            return result

        return opening

    monkeypatch.setattr(os, "open", spy(os.open))
    monkeypatch.setattr(io, "open", spy(io.open))
    monkeypatch.setattr(builtins, "open", spy(builtins.open))
    monkeypatch.chdir(project)
    assert CliRunner().invoke(main, [*(["--no-cache"] if no_cache else []), "."]).exit_code == 1
    assert str(secret) not in opened
    if no_cache:
        assert not [name for name in opened if "formalai-lint-cache" in name]


def test_a_cache_file_that_is_a_fifo_or_a_device_is_not_read(project: Path) -> None:
    assert cli(project, ".").returncode == 1
    folder = project / ".formalai-lint-cache"
    key_file = next(folder.glob("*.jsonl"))
    key_file.unlink()
    os.mkfifo(key_file)
    result = cli(project, ".", timeout=60)
    assert result.returncode == 1 and b"FL202" in result.stdout


# -- item 10: a forged cache entry never changes a result -------------------------------


def test_a_cache_entry_forged_with_the_key_in_the_file_changes_nothing(project: Path) -> None:
    (project / "doc.md").write_text(STALE, encoding="utf-8")  # FL101 is a file rule's: cached
    first = cli(project, "--output-format", "json", ".")
    assert first.returncode == 1 and "FL101" in {d["code"] for d in json.loads(first.stdout)}
    key_file = next((project / ".formalai-lint-cache").glob("*.jsonl"))
    header, *lines = key_file.read_bytes().splitlines()
    key = json.loads(header)["key"]
    forged = [header]
    for line in lines:
        digest, path_json, _, body = line.split(b"\t", 3)
        data = json.loads(body)
        data["diagnostics"] = []  # an empty result: CI would pass
        new_body = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()
        path = json.loads(path_json)
        for mac_key, message in (
            (key.encode(), b"\0".join((path.encode(), digest, new_body))),  # the old scheme
            (key.encode(), b"\0".join((key.encode(), path.encode(), digest, new_body))),
        ):
            mac = hashlib.blake2b(message, key=mac_key, digest_size=16).hexdigest().encode()
            forged.append(b"\t".join((digest, path_json, mac, new_body)))
    for attempt in forged[1:]:
        key_file.write_bytes(header + b"\n" + attempt + b"\n")
        again = cli(project, "--output-format", "json", ".")
        assert again.returncode == 1
        assert json.loads(again.stdout) == json.loads(first.stdout)


def test_a_cache_written_under_another_users_secret_is_not_trusted(
    project: Path, tmp_path: Path
) -> None:
    (project / "doc.md").write_text("# 文档\n\n正文。\n", encoding="utf-8")
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "attacker")}
    subprocess.run([sys.executable, "-m", "formalai_lint", "."], cwd=project, env=env, check=True)
    # the attacker's cache says the clean file is clean; then the file gets a broken link
    # and the attacker rewrites the entry's content hash to match the new bytes
    key_file = next((project / ".formalai-lint-cache").glob("*.jsonl"))
    (project / "doc.md").write_text(BROKEN, encoding="utf-8")
    new_digest = source.digest(project / "doc.md").encode()
    header, line = key_file.read_bytes().splitlines()
    _, path_json, _, body = line.split(b"\t", 3)
    secret = (tmp_path / "attacker" / "formalai-lint" / "secret").read_bytes()
    key = json.loads(header)["key"].encode()
    message = b"\0".join((key, json.loads(path_json).encode(), new_digest, body))
    mac = hashlib.blake2b(message, key=secret, digest_size=16).hexdigest().encode()
    key_file.write_bytes(header + b"\n" + b"\t".join((new_digest, path_json, mac, body)) + b"\n")
    result = cli(project, ".")  # the test session's own secret, not the attacker's
    assert result.returncode == 1 and b"FL202" in result.stdout


def test_the_secret_is_private(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    key = cache.secret()
    file = tmp_path / "formalai-lint" / "secret"
    assert key is not None and file.read_bytes() == key and len(key) == 32
    assert file.stat().st_mode & 0o777 == 0o600
    assert file.parent.stat().st_mode & 0o077 == 0
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o777)
    monkeypatch.setenv("XDG_CACHE_HOME", str(shared))
    (shared / "formalai-lint").mkdir(mode=0o777)
    (shared / "formalai-lint").chmod(0o777)
    assert cache.secret() is None  # a folder others can write: no secret, no cache


# -- item 11: config discovery stops at the git top level -------------------------------


def test_a_config_above_the_repository_is_not_the_projects(tmp_path: Path) -> None:
    (tmp_path / ".formalai-lint.toml").write_text('exclude = ["repo"]\n', encoding="utf-8")
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    (repo / "doc.md").write_text(BROKEN, encoding="utf-8")
    result = cli(repo, "--no-cache", ".")
    assert result.returncode == 1, result.stderr
    assert b"FL202" in result.stdout and b"1 file checked" in result.stderr


# -- item 12: file names that are not UTF-8 ---------------------------------------------


@pytest.fixture
def latin1_name(project: Path) -> Path:
    name = os.fsdecode(b"caf\xe9.md")
    try:
        (project / name).write_text(BROKEN, encoding="utf-8")
    except (OSError, UnicodeEncodeError):  # pragma: no cover - a file system that refuses it
        pytest.skip("this file system does not take a name that is not UTF-8")
    (project / "doc.md").unlink()
    return project


@pytest.mark.parametrize("fmt", ["text", "json", "junit", "sarif", "github"])
def test_a_file_name_that_is_not_utf8_is_reported_in_valid_utf8(
    latin1_name: Path, fmt: str
) -> None:
    for _ in range(2):  # cold, then from the cache
        result = cli(latin1_name, "--output-format", fmt, ".")
        assert result.returncode == 1, result.stderr
        out = result.stdout.decode("utf-8")  # strict: raises on invalid UTF-8
        if fmt == "json":
            assert json.loads(out)[0]["path"] == "caf\\xe9.md"
        elif fmt in ("junit", "sarif"):
            if fmt == "junit":
                ET.fromstring(out)
            else:
                json.loads(out)
        else:
            assert "caf\\xe9.md" in out


def test_a_file_name_that_is_not_utf8_in_an_output_file_and_a_baseline(
    latin1_name: Path,
) -> None:
    result = cli(latin1_name, "--output-file", "out.txt", ".")
    assert result.returncode == 1, result.stderr
    assert "caf\\xe9.md:3:" in (latin1_name / "out.txt").read_text(encoding="utf-8")
    assert cli(latin1_name, "--write-baseline", "b.json", ".").returncode == 0
    assert json.loads((latin1_name / "b.json").read_text())["entries"][0]["path"] == "caf\\xe9.md"
    assert cli(latin1_name, "--baseline", "b.json", ".").returncode == 0


def test_printable_escapes_only_what_is_not_utf8() -> None:
    assert safeio.printable("文档.md") == "文档.md"
    assert safeio.printable(os.fsdecode(b"caf\xe9.md")) == "caf\\xe9.md"
    assert safeio.printable("a\ud800b") == "a\\ud800b"
