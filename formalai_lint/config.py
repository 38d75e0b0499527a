"""Finding, loading and validating the configuration.

Configuration is `[tool.formalai-lint]` in `pyproject.toml` or the top level of
`.formalai-lint.toml`, found by walking up from the paths given (as written: symlinks in them
are not resolved) and never above the git top level; in one folder, `.formalai-lint.toml`
wins. It is validated against `schemas/config.schema.json`. The project root is the config
file's folder, else the git top level, else the paths' common parent.
"""

from __future__ import annotations

import contextlib
import enum
import hashlib
import json
import os
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields, is_dataclass
from pathlib import Path
from typing import Any

from formalai_lint import lazyre, safeio
from formalai_lint._version import __version__
from formalai_lint.diagnostic import Severity
from formalai_lint.document import DEFAULT_RELATED_PATTERN, DEFAULT_TOC_PATTERN, ParseOptions
from formalai_lint.errors import ConfigError
from formalai_lint.resources import data_dir, schema
from formalai_lint.secret import secret
from formalai_lint.source import DEFAULT_MAX_BYTES, locate

DEFAULT_MAX_SECONDS = 10.0  # CPU seconds per file; the `max-file-seconds` setting changes it

CONFIG_FILES = (".formalai-lint.toml", "pyproject.toml")
DEFAULT_ARCHIVE_FOLDERS = ("archive", ".archive", "backup", "归档")
MAX_CONFIG_BYTES = 4 * 1024 * 1024
CACHE_DIR_NAME = ".formalai-lint-cache"  # in the project root, unless --cache-dir


@dataclass(frozen=True)
class Settings:
    root: Path
    config_file: Path | None = None
    select: tuple[str, ...] = ("ALL",)
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    severity: Mapping[str, Severity] = field(default_factory=dict)
    toc_pattern: str = DEFAULT_TOC_PATTERN
    related_pattern: str = DEFAULT_RELATED_PATTERN
    max_file_size: int = DEFAULT_MAX_BYTES  # bytes; larger files get FL003 and are not read
    max_file_seconds: float = DEFAULT_MAX_SECONDS  # CPU seconds; a slower file gets FL005
    table: Mapping[str, Any] = field(default_factory=dict)  # the whole validated config table
    archive_folders: tuple[str, ...] = DEFAULT_ARCHIVE_FOLDERS  # never suggested from outside
    respect_gitignore: bool = True  # a folder search skips what git ignores
    force_exclude: bool = False  # files named on the command line are excluded/ignored too

    @property
    def parse_options(self) -> ParseOptions:
        return ParseOptions(self.toc_pattern, self.related_pattern)


def find_config(start: Path) -> tuple[Path, dict[str, Any]] | None:
    """The nearest config file at or above `start`, with its formalai-lint table. The search
    stops at the git top level: a config file above the repository (another user's
    `/tmp/.formalai-lint.toml`) is never the project's. Outside a repository it goes up to
    the file system's root. A config file is read only if it really lies in its folder."""
    top = git_root(start)
    for folder in (start, *start.parents):
        for name in CONFIG_FILES:
            candidate = folder / name
            if not candidate.is_file():
                continue
            data = load_toml(candidate, folder)
            if name == "pyproject.toml":
                table = _tool_table(data, candidate)
                if table is None:
                    continue
                return candidate, table
            return candidate, data
        if folder == top:
            break
    return None


def load_toml(path: Path, root: Path | None = None) -> dict[str, Any]:
    """The TOML file `path`, read by `safeio` (a regular file of at most 4 MiB, inside `root`
    when given); ConfigError when it cannot be read or parsed."""
    # Imported here: a project without a configuration file never pays for the TOML parser.
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover
        import tomli as tomllib

    try:
        return tomllib.loads(safeio.read_bytes(path, root, MAX_CONFIG_BYTES).decode("utf-8"))
    except safeio.UnreadableError as e:
        raise ConfigError(f"{path}: cannot read: {e}") from None
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(_toml_error(path, e)) from None
    except UnicodeDecodeError as e:
        raise ConfigError(f"{path}: not UTF-8 at byte {e.start}; TOML files are UTF-8") from None
    except OSError as e:
        raise ConfigError(f"{path}: cannot read: {e.strerror or e}") from None


_TOML_AT = lazyre.compile(r" \(at line (\d+), column (\d+)\)$")


def _toml_error(path: Path, error: ValueError) -> str:
    """`path:line:column: invalid TOML: what`, the position where the parser stopped (tomllib
    puts it at the end of its message, as `(at line 3, column 9)`)."""
    text = str(error)
    at = _TOML_AT.search(text)
    if at is None:  # `(at end of document)`
        return f"{path}: invalid TOML: {text}"
    return f"{path}:{at[1]}:{at[2]}: invalid TOML: {text[: at.start()]}"


def load_explicit(path: Path) -> tuple[Path, dict[str, Any]]:
    if path.is_dir():
        raise ConfigError(f"config file `{path}` is a folder, not a file")
    if not path.is_file():
        raise ConfigError(f"config file `{path}` does not exist")
    data = load_toml(path)
    if path.name == "pyproject.toml":
        data = _tool_table(data, path) or {}
    return path, data


def _tool_table(data: dict[str, Any], path: Path) -> Any:
    """`[tool.formalai-lint]` of a pyproject.toml, or None; its type is checked by the schema."""
    tool = data.get("tool", {})
    if not isinstance(tool, dict):
        raise ConfigError(f"{path}: `tool`: expected a table, got {type(tool).__name__} {tool!r}")
    return tool.get("formalai-lint")


def validate(table: Mapping[str, Any], source: str) -> None:
    """Check `table` against the schema; raise ConfigError naming, one line each, every key
    that is wrong and what was expected (all of them, not only the first)."""
    import jsonschema  # imported here: it is slow to import and only needed with a config

    validator = jsonschema.Draft202012Validator(
        schema("config.schema.json"), format_checker=jsonschema.FormatChecker()
    )
    errors = sorted(validator.iter_errors(table), key=lambda e: [str(p) for p in e.absolute_path])
    messages: list[str] = []
    for each in errors:
        error = jsonschema.exceptions.best_match([each])  # the most telling of an anyOf's
        key = _key_path(error.absolute_path) or "(top level)"
        message = f"{source}: `{key}`: {_describe(error)}"
        if message not in messages:
            messages.append(message)
    nan = _nan_key(table)
    if nan is not None:
        messages.append(f"{source}: `{_key_path(nan)}`: nan is not a number; give a value")
    if messages:
        raise ConfigError("\n".join(messages))


def _nan_key(table: Mapping[str, Any]) -> list[object] | None:
    """The key path of the first NaN in `table` (TOML's `nan`, which every comparison with a
    bound or a tolerance would silently pass), or None."""
    stack: list[tuple[list[object], Any]] = [([], table)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, float) and value != value:
            return path
        if isinstance(value, dict):  # a TOML table
            stack.extend(([*path, k], v) for k, v in reversed(value.items()))
        elif isinstance(value, list):
            stack.extend(([*path, i], v) for i, v in reversed(list(enumerate(value))))
    return None


def _key_path(parts: Sequence[object]) -> str:
    text = ""
    for part in parts:
        name = str(part) if str(part).isprintable() else ascii(str(part))  # a key holding `\n`
        text += f"[{part}]" if isinstance(part, int) else (f".{name}" if text else name)
    return text


def did_you_mean(word: str, known: Iterable[str]) -> str:
    """` (did you mean `x`?)` when one known word is close to `word` (a typo), else ""."""
    import difflib

    close = difflib.get_close_matches(word, list(known), n=1, cutoff=0.75)
    return f" (did you mean `{close[0]}`?)" if close else ""


def _describe(error: Any) -> str:
    if error.validator == "additionalProperties":
        properties = error.schema.get("properties", {})
        extra = sorted(set(error.instance) - set(properties))
        unknown = "; ".join(f"unknown key {k!r}{did_you_mean(k, properties)}" for k in extra)
        return f"{unknown}; expected one of: {', '.join(sorted(properties))}"
    if error.validator == "pattern" and "description" in error.schema:
        return f"{error.instance!r}: {error.schema['description']}"
    if error.validator == "pattern":
        return f"{error.instance!r} is not a rule code, prefix or name (like FL201, FL2, broken-fragment)"
    if error.validator == "format" and error.schema.get("format") == "regex":
        return f"{error.instance!r} is not a valid regular expression"
    if error.validator == "enum":
        return f"{error.instance!r} is not one of {', '.join(map(repr, error.validator_value))}"
    if error.validator == "type":
        return f"expected {error.validator_value}, got {type(error.instance).__name__} {error.instance!r}"
    return str(error.message)


def git_root(start: Path) -> Path | None:
    for folder in (start, *start.parents):
        if (folder / ".git").exists():
            return folder
    return None


def below_symlinks(folder: Path) -> Path:
    """The nearest folder at or above `folder` (absolute, as written) that no symlinked folder
    leads to: `/proj` for `/proj/linkdir/sub` when `linkdir` is a symlink. The project root
    and config are looked for from there, so a symlink committed in a repository cannot
    make a folder outside it the project."""
    for above in reversed((folder, *folder.parents)):
        if above.is_symlink():
            return above.parent
    return folder


def real_location(path: Path) -> Path:
    """`path` with the symlinks of its folders resolved, but not the symlink a file may itself be."""
    path = Path(os.path.abspath(path))
    if path.is_dir():
        return Path(os.path.realpath(path))
    return Path(os.path.realpath(path.parent)) / path.name


def common_parent(paths: Sequence[Path]) -> Path:
    folders = [p if p.is_dir() else p.parent for p in paths]
    return Path(os.path.commonpath([str(f) for f in folders]))


def load_settings(
    paths: Sequence[Path],
    config_path: Path | None = None,
    *,
    use_cache: bool = True,
    **overrides: Any,
) -> Settings:
    """Settings for linting `paths`; `overrides` (from the command line) win over the file.
    `use_cache` false (`--no-cache`): the note that the config is valid is neither read nor
    written."""
    paths = [locate(p) for p in paths]  # as written: a symlinked folder does not move the root
    start = common_parent(paths)
    trusted = below_symlinks(start)
    found = load_explicit(config_path) if config_path else find_config(trusted)
    top = git_root(trusted)
    if not (config_path or found or top) and trusted != start:
        # No project above the symlink: it lies outside every project, so it is the user's
        # own way to name one (`~/kb-link/docs`); look from the real path, as written there.
        paths = [real_location(p) for p in paths]
        start = common_parent(paths)
        found, top = find_config(start), git_root(start)
    config_file, table = (locate(found[0]), found[1]) if found else (None, {})
    # jsonschema is slow: a table validated in an earlier run is not validated again
    if config_file is not None and not (use_cache and known_valid(config_file.parent, table)):
        validate(table, str(config_file))
        if use_cache:
            remember_valid(config_file.parent, table)
    root = config_file.parent if config_file else (top or start)
    for path in paths:
        if path != root and root not in path.parents:
            raise ConfigError(f"`{path}` is outside the project root `{root}`")

    def option(key: str, default: Any) -> Any:
        value = overrides.get(key.replace("-", "_"))
        return value if value is not None else table.get(key, default)

    return Settings(
        root=root,
        config_file=config_file,
        select=tuple(option("select", ["ALL"])),
        extend_select=tuple(option("extend-select", [])),
        ignore=tuple(option("ignore", [])),
        exclude=tuple(option("exclude", [])),
        per_file_ignores=tuple(
            (glob, tuple(codes)) for glob, codes in table.get("per-file-ignores", {}).items()
        ),
        severity={code: Severity(level) for code, level in table.get("severity", {}).items()},
        toc_pattern=table.get("toc-heading", DEFAULT_TOC_PATTERN),
        related_pattern=table.get("related-heading", DEFAULT_RELATED_PATTERN),
        max_file_size=table.get("max-file-size", DEFAULT_MAX_BYTES),
        max_file_seconds=table.get("max-file-seconds", DEFAULT_MAX_SECONDS),
        table=table,
        archive_folders=tuple(table.get("archive-folders", DEFAULT_ARCHIVE_FOLDERS)),
        respect_gitignore=option("respect-gitignore", True),
        force_exclude=option("force-exclude", False),
    )


def plain(value: Any) -> Any:
    """`value` as JSON-able data, deterministic (no memory addresses, sets sorted)."""
    if isinstance(value, enum.Enum):
        return plain(value.value)
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in sorted(value.items(), key=lambda kv: str(kv[0]))}
    if isinstance(value, (set, frozenset)):
        return sorted((plain(v) for v in value), key=repr)
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, Path):
        return str(value)
    return f"{type(value).__qualname__}:{value}"


def _config_digest(table: Mapping[str, Any]) -> str:
    schema = (data_dir("schemas") / "config.schema.json").read_bytes()
    text = json.dumps(plain(table), sort_keys=True, ensure_ascii=False)
    return hashlib.blake2b(f"{__version__}\0{text}".encode() + schema, digest_size=16).hexdigest()


def _valid_mark(table: Mapping[str, Any]) -> bytes | None:
    """What `valid-config` holds for `table`: its digest keyed with the user's secret (so a
    mark planted in the repository is worthless), or None without a secret."""
    key = secret()
    if key is None:
        return None
    digest = _config_digest(table).encode()
    return hashlib.blake2b(digest, key=key, digest_size=16).hexdigest().encode()


def known_valid(root: Path, table: Mapping[str, Any]) -> bool:
    """Whether this config table passed schema validation in an earlier run (of this tool
    version and schema): importing jsonschema would cost more than a small lint. The mark is
    read only as a small regular file inside `root`, never through a symlink."""
    mark = _valid_mark(table)
    if mark is None:
        return False
    try:
        found = safeio.read_bytes(root / CACHE_DIR_NAME / "valid-config", root, 256, follow=False)
    except safeio.UnreadableError:
        return False
    return found == mark


def remember_valid(root: Path, table: Mapping[str, Any]) -> None:
    """Note that `table` is valid, in the project's cache folder if there is one already
    (a run with the cache creates it; `--no-cache` never reads nor writes it)."""
    folder = root / CACHE_DIR_NAME
    mark = _valid_mark(table)
    if (
        mark is not None
        and folder.is_dir()
        and not folder.is_symlink()
        and safeio.writable_folder(folder)
    ):
        with contextlib.suppress(OSError):
            safeio.write(folder / "valid-config", mark, root)
