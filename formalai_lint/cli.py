"""The command line: `formalai-lint [PATH]...` (`check`), `report`, `rules`, `rule CODE`.

Exit codes: 0 no error-severity diagnostics, 1 at least one, 2 a usage, configuration or
internal error (never a traceback for a user's mistake; `-v` shows tracebacks of crashes),
130 interrupted (Ctrl-C).
"""

from __future__ import annotations

import json
import logging
import os
import sys
import traceback
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from functools import wraps
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from formalai_lint import report, safeio
from formalai_lint._version import __version__
from formalai_lint.errors import LintError, OutputError, UsageError
from formalai_lint.report import FORMATS, STATISTICS_FORMATS
from formalai_lint.safeio import printable
from formalai_lint.selector import is_selector

if TYPE_CHECKING:
    from formalai_lint.diagnostic import Diagnostic
    from formalai_lint.session import Session

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report a command stopped by Ctrl-C
MAX_JOBS = 1024  # a larger --jobs is a usage error (the pool is capped at the CPUs anyway)
MAX_STDIN_BYTES = 64 * 1024 * 1024  # a document on stdin larger than this is refused


class _UsageError(click.UsageError):
    """A mistake on the command line, shown on one line (no usage block); exit code 2."""

    def show(self, file: Any = None) -> None:
        click.echo(f"formalai-lint: error: {self.format_message()}", err=True)


def _one_line(error: click.UsageError) -> click.UsageError:
    if isinstance(error, _UsageError):
        return error
    where = f" (see `{error.ctx.command_path} --help`)" if error.ctx else ""
    return _UsageError(error.format_message() + where)


class _DefaultToCheck(click.Group):
    """`formalai-lint docs/` means `formalai-lint check docs/`; usage errors take one line."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if not args or (args[0] not in self.commands and args[0] not in ("--help", "--version")):
            args = ["check", *args]
        try:
            return super().parse_args(ctx, args)
        except click.UsageError as e:
            raise _one_line(e) from None

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)  # parses the subcommand's own arguments
        except click.UsageError as e:
            raise _one_line(e) from None


def _reports_errors(func: Callable[..., Any]) -> Callable[..., Any]:
    """Turn our own exceptions into a one-line message and exit code 2."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except LintError as e:
            for line in str(e).splitlines() or [""]:  # several mistakes: one line each
                click.echo(f"formalai-lint: error: {line}", err=True)
            sys.exit(EXIT_ERROR)
        except BrokenPipeError:  # `formalai-lint rules | head -1`: the reader has had enough
            _drop_stdout()
            sys.exit(EXIT_CLEAN)
        except KeyboardInterrupt:  # Ctrl-C: the workers were stopped on the way out
            click.echo("formalai-lint: interrupted", err=True)
            sys.exit(EXIT_INTERRUPTED)
        except (click.exceptions.Exit, click.ClickException, SystemExit):
            raise
        except Exception as e:
            if kwargs.get("verbose"):
                traceback.print_exc()
            click.echo(
                f"formalai-lint: internal error: {type(e).__name__}: {e}"
                " (run with -v for the traceback, and please report it)",
                err=True,
            )
            sys.exit(EXIT_ERROR)

    return wrapper


def _selectors(values: Sequence[str], flag: str) -> list[str] | None:
    if not values:
        return None
    result = [s.strip() for value in values for s in value.split(",") if s.strip()]
    for selector in result:
        if not is_selector(selector):
            raise UsageError(f"{flag}: `{selector}` is not a rule code, prefix or name")
    return result


def _run_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """The options that say what a run lints and how, shared by `check` and `report`
    (`_open_session` reads them)."""
    for option in reversed(
        [
            click.option(
                "--config",
                "config_path",
                type=click.Path(path_type=Path),
                help="Use this config file.",
            ),
            click.option(
                "--select",
                multiple=True,
                help="Rules to run (codes, prefixes like FL2, or names); comma-separated.",
            ),
            click.option(
                "--extend-select",
                multiple=True,
                help="Rules to run in addition to the selected ones.",
            ),
            click.option("--ignore", multiple=True, help="Rules not to run."),
            click.option(
                "--respect-gitignore/--no-respect-gitignore",
                default=None,
                help="Skip the files git ignores when searching folders  [default: respect]",
            ),
            click.option(
                "--force-exclude/--no-force-exclude",
                default=None,
                help="Apply exclude and the git ignores to the paths named here too  [default: off]",
            ),
            click.option(
                "-j",
                "--jobs",
                type=click.IntRange(min=1, max=MAX_JOBS),
                help="Worker processes for parsing, at most one per CPU and per file to parse"
                "  [default: the number of CPUs; 1 runs in-process]",
            ),
            click.option("--no-cache", is_flag=True, help="Neither read nor write the cache."),
            click.option(
                "--cache-dir",
                type=click.Path(path_type=Path),
                help="Keep the cache here  [default: .formalai-lint-cache/ in the project root]",
            ),
        ]
    ):
        command = option(command)
    return command


def _open_session(paths: Sequence[Path], opts: Mapping[str, Any], **more: Any) -> Session:
    """The run `_run_options` describe (and `more` of `Session.open`'s arguments)."""
    from formalai_lint.session import Session  # here: `--version` never loads it

    return Session.open(
        paths,
        config=opts["config_path"],
        select=_selectors(opts["select"], "--select"),
        extend_select=_selectors(opts["extend_select"], "--extend-select"),
        ignore=_selectors(opts["ignore"], "--ignore"),
        respect_gitignore=opts["respect_gitignore"],
        force_exclude=opts["force_exclude"],
        jobs=opts["jobs"],
        cache=not opts["no_cache"],
        cache_dir=opts["cache_dir"],
        verbose=opts["verbose"],
        **more,
    )


@click.group(cls=_DefaultToCheck, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="formalai-lint")
def main() -> None:
    """Lint a FormalAI-style Markdown knowledge base.

    Run `formalai-lint [PATH]...` (the same as `formalai-lint check`) to lint files and
    folders; `formalai-lint check --help` lists its options.
    """


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@_run_options
@click.option(
    "--output-format",
    type=click.Choice(FORMATS),
    default="text",
    show_default=True,
    help="How to print diagnostics.",
)
@click.option(
    "--output-file",
    type=click.Path(path_type=Path),
    help="Write the output here instead of stdout.",
)
@click.option(
    "--statistics", is_flag=True, help="Print a count per rule instead of the diagnostics."
)
@click.option(
    "--baseline",
    "baseline_path",
    type=click.Path(path_type=Path),
    help="Report only diagnostics not recorded in this baseline file.",
)
@click.option(
    "--write-baseline",
    type=click.Path(path_type=Path),
    help="Record the diagnostics of this run in a baseline file, and exit 0.",
)
@click.option("--fix", is_flag=True, help="Apply the safe fixes (TOC rewrites) to the files.")
@click.option(
    "--unsafe-fixes",
    is_flag=True,
    help="With --fix or --diff, also retarget broken links to their one did-you-mean.",
)
@click.option(
    "--diff",
    is_flag=True,
    help="Print a diff of what --fix would change, write nothing; exit 1 if any.",
)
@click.option(
    "-v",
    "--verbose",
    is_flag=True,
    help="Show tracebacks of rule crashes, and what the level rules read and skipped.",
)
@click.option(
    "--exit-zero",
    is_flag=True,
    help="Exit 0 even when there are findings (2 still means an error).",
)
@click.option("-q", "--quiet", is_flag=True, help="Print the diagnostics and nothing else.")
@click.option(
    "-s",
    "--silent",
    is_flag=True,
    help="Print nothing but errors (the exit code still says whether there are findings).",
)
@click.option(
    "--color",
    type=click.Choice(["auto", "always", "never"]),
    default="auto",
    show_default=True,
    help="Colour in text and full output; auto: on a terminal, unless NO_COLOR is set.",
)
@click.option(
    "--show-settings", is_flag=True, help="Print the settings in force for these paths, and exit."
)
@click.option("--show-files", is_flag=True, help="Print the files that would be linted, and exit.")
@click.option(
    "--stdin-filename",
    type=click.Path(path_type=Path),
    help="With the path `-`: the document on stdin is this file of the project.",
)
@_reports_errors
def check(paths: tuple[Path, ...], **opts: Any) -> None:
    """Lint Markdown files and folders (default: the current folder)."""
    # Imported here, not at the top: `--version`, `--help`, `rules` and `rule` never load the
    # parser or the rules (start-up time).
    from formalai_lint.rules.tool.internal_error import InternalError

    if opts["verbose"]:  # rules log what they read and skipped at DEBUG (formalai_lint.levels)
        logging.basicConfig(format="%(name)s: %(message)s")
        logging.getLogger("formalai_lint").setLevel(logging.DEBUG)
    targets_given = list(paths) or [Path(".")]
    stdin = _stdin_document(targets_given, opts)
    if stdin is not None:
        targets_given = [opts["stdin_filename"]]
        opts["no_cache"] = True  # the cache knows the file on disk, not the text on stdin
    output_format: str = opts["output_format"]
    if opts["unsafe_fixes"] and not (opts["fix"] or opts["diff"]):
        raise UsageError("--unsafe-fixes only applies with --fix or --diff")
    if opts["statistics"] and output_format not in STATISTICS_FORMATS:
        raise UsageError(f"--statistics prints text or json, not {output_format}")
    with _open_session(
        targets_given,
        opts,
        stdin_path=opts["stdin_filename"] if stdin is not None else None,
        progress=output_format == "text" and sys.stderr.isatty(),
    ) as session:
        root = session.settings.root
        if opts["show_settings"]:
            click.echo(show_settings(session), nl=False)
            sys.exit(EXIT_CLEAN)
        if stdin is not None:
            session.substitute(targets_given[0], stdin)
        if opts["show_files"]:
            cwd = Path.cwd()
            for target in session.targets(targets_given):
                click.echo(report.escape(printable(report.display_path(root, target, cwd))))
            sys.exit(EXIT_CLEAN)
        result = session.check(targets_given)
        targets = result.targets
        crashed = any(d.code == InternalError.code for d in result.diagnostics)
        if opts["write_baseline"]:
            count = session.write_baseline(result.diagnostics, targets, opts["write_baseline"])
            _note(opts, f"formalai-lint: wrote {count} entries to {opts['write_baseline']}")
            sys.exit(EXIT_ERROR if crashed else EXIT_CLEAN)
        diagnostics = result.diagnostics
        if opts["baseline_path"] is not None:
            diagnostics = _compare_baseline(session, opts, diagnostics, targets)
        if result.named is not None:  # only news (see formalai_lint/news.py), after the baseline
            diagnostics = session.news(diagnostics, result.named, targets)
        fix_note = None
        if opts["fix"] or opts["diff"]:
            diagnostics, fix_note = _fix(session, opts, diagnostics)
        elif output_format == "text":
            fix_note = report.fixable_note(diagnostics)
        lines = session.lines if output_format == "full" else None

    diagnostics = [_printable(d) for d in diagnostics]  # file names that are not UTF-8
    targets = [printable(t) for t in targets]
    cwd = Path.cwd()
    color = output_format in ("text", "full") and _color(opts["color"], opts["output_file"])
    if opts["statistics"]:
        output = report.statistics(diagnostics, output_format)
    else:
        output = report.render(
            diagnostics, output_format, root, cwd, files=targets, color=color, lines=lines
        )
    if opts["output_file"]:
        _write_output(opts["output_file"], output, root)
    elif not opts["silent"]:
        _print_output(output, color)
    _note(opts, report.summary(diagnostics, result.files_checked))
    if fix_note:
        _note(opts, fix_note)
    if opts["verbose"]:
        for trace in result.tracebacks:
            click.echo(trace, err=True)
    if crashed:
        sys.exit(EXIT_ERROR)
    failed = any(d.severity == "error" for d in diagnostics) and not opts["exit_zero"]
    sys.exit(EXIT_FINDINGS if failed else EXIT_CLEAN)


def _stdin_document(paths: Sequence[Path], opts: dict[str, Any]) -> str | None:
    """The text on stdin when the path is `-` (with --stdin-filename), else None."""
    if str(paths[0]) != "-":
        if any(str(p) == "-" for p in paths):
            raise UsageError("`-` (stdin) is the only path when given")
        if opts["stdin_filename"] is not None:
            raise UsageError("--stdin-filename only applies with the path `-`")
        return None
    if len(paths) > 1:
        raise UsageError("`-` (stdin) is the only path when given")
    if opts["stdin_filename"] is None:
        raise UsageError("reading a document from stdin (`-`) needs --stdin-filename PATH")
    if opts["fix"] or opts["diff"]:
        raise UsageError("--fix and --diff do not apply to a document on stdin")
    from formalai_lint import source

    data = sys.stdin.buffer.read(MAX_STDIN_BYTES + 1)
    if len(data) > MAX_STDIN_BYTES:
        raise UsageError(f"stdin holds more than {MAX_STDIN_BYTES} bytes")
    try:
        return source.decode(data)
    except source.UnreadableError as e:
        raise UsageError(f"stdin: {e}") from None


def _note(opts: Mapping[str, Any], text: str) -> None:
    """A line for the reader on stderr (a summary, a note), unless --quiet or --silent."""
    if not (opts["quiet"] or opts["silent"]):
        click.echo(text, err=True)


def _color(choice: str, output_file: Path | None) -> bool:
    """`--color`: always, never, or (auto) on a terminal and when NO_COLOR is not set
    (https://no-color.org); an output file is a terminal never."""
    if choice != "auto":
        return choice == "always"
    return output_file is None and sys.stdout.isatty() and not os.environ.get("NO_COLOR")


def show_settings(session: Session) -> str:
    """`--show-settings`: the settings in force, one `key = value` per line (TOML values)."""
    settings = session.settings

    def value(v: Any) -> str:
        if isinstance(v, bool):
            return "true" if v else "false"
        if isinstance(v, (list, tuple)):
            return "[" + ", ".join(value(x) for x in v) + "]"
        if isinstance(v, Mapping):
            return "{" + ", ".join(f"{json.dumps(str(k))} = {value(x)}" for k, x in v.items()) + "}"
        if isinstance(v, (int, float)):
            return str(v)
        return json.dumps(str(v), ensure_ascii=False)

    rows = {
        "root": settings.root,
        "config-file": settings.config_file or "",
        "select": settings.select,
        "extend-select": settings.extend_select,
        "ignore": settings.ignore,
        "enabled-rules": [r.code for r in session.rules.enabled],
        "exclude": settings.exclude,
        "respect-gitignore": settings.respect_gitignore,
        "force-exclude": settings.force_exclude,
        "per-file-ignores": dict(settings.per_file_ignores),
        "severity": {k: v.value for k, v in settings.severity.items()},
        "toc-heading": settings.toc_pattern,
        "related-heading": settings.related_pattern,
        "archive-folders": settings.archive_folders,
        "max-file-size": settings.max_file_size,
        "max-file-seconds": settings.max_file_seconds,
        "levels": settings.table.get("levels", {}),
    }
    return "".join(f"{key} = {report.escape(value(v))}\n" for key, v in rows.items())


def _compare_baseline(
    session: Session,
    opts: Mapping[str, Any],
    diagnostics: list[Diagnostic],
    targets: Sequence[str],
) -> list[Diagnostic]:
    """The diagnostics not in the baseline file `--baseline`, with a note on stderr."""
    path = opts["baseline_path"]
    outcome = session.compare_baseline(diagnostics, targets, path)
    note = f"formalai-lint: baseline `{path}` accounts for {outcome.matched} diagnostics"
    if outcome.stale:
        note += (
            f"; {outcome.stale} of its entries no longer occur (prune with --write-baseline {path})"
        )
    _note(opts, note)
    return outcome.new


def _fix(
    session: Session, opts: Mapping[str, Any], diagnostics: list[Diagnostic]
) -> tuple[list[Diagnostic], str]:
    """`--fix`: fix, lint the changed files again, return what remains and the summary line.
    `--diff`: print the diff and exit (1 if anything would change)."""
    from formalai_lint import fix  # here, like the session (start-up time)

    fixed = session.fix(
        diagnostics,
        unsafe=opts["unsafe_fixes"],
        write=not opts["diff"],
        baseline_file=opts["baseline_path"],
    )
    for warning in fixed.run.warnings:
        click.echo(f"formalai-lint: warning: {report.escape(warning)}", err=True)
    if opts["diff"]:
        root, cwd = session.settings.root, Path.cwd()
        shown = {f.path: printable(report.display_path(root, f.path, cwd)) for f in fixed.run.fixes}
        click.echo(fix.unified_diff(fixed.run.fixes, shown), nl=False)
        remaining = len(diagnostics) - fixed.run.fixed
        click.echo(fix.summary(fixed.run, remaining, applied=False), err=True)
        sys.exit(1 if fixed.run.fixes else 0)
    return fixed.diagnostics, fix.summary(fixed.run, len(fixed.diagnostics), applied=True)


def _printable(d: Any) -> Any:
    """`d` with its path and texts encodable as UTF-8 (see `safeio.printable`)."""
    fixed = {k: printable(getattr(d, k)) for k in ("path", "message", "text")}
    return d if all(fixed[k] is getattr(d, k) for k in fixed) else replace(d, **fixed)


def _drop_stdout() -> None:
    """Point stdout at /dev/null: what is still buffered would fail again when Python
    flushes stdout at exit (and print a traceback)."""
    null = os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, sys.stdout.fileno())
    os.close(null)


def _print_output(output: str, color: bool) -> None:
    """The output on stdout. A reader that stops reading (`| head -1`) ends the output
    quietly: the run still ends with its exit code. A stdout that cannot take it (a full
    disk, /dev/full) is a one-line error, exit 2, not a traceback at exit."""
    try:
        click.echo(output, nl=False, color=color)
        sys.stdout.flush()
    except BrokenPipeError:
        _drop_stdout()
    except OSError as e:
        _drop_stdout()
        raise OutputError(f"cannot write to stdout: {e.strerror or e}") from None


def _write_output(path: Path, output: str, root: Path) -> None:
    try:
        safeio.write_named(path, output.encode("utf-8", "backslashreplace"), root)
    except OSError as e:
        raise OutputError(f"cannot write output file `{path}`: {e.strerror or e}") from None


@main.command("server")
@_reports_errors
def language_server() -> None:
    """Run the language server (LSP) on stdin and stdout, for editors."""
    from formalai_lint.server import serve

    serve()


@main.command("rules")
@click.option(
    "--config", "config_path", type=click.Path(path_type=Path), help="Use this config file."
)
@_reports_errors
def list_rules(config_path: Path | None) -> None:
    """List every rule: code, name, its severity under the configuration of the current
    folder (`off` when not selected), its fix (`safe`: --fix; `unsafe`: with --unsafe-fixes)."""
    from formalai_lint import registry  # here: loads the rules (start-up time of `--version`)
    from formalai_lint.config import load_settings
    from formalai_lint.rule import Fix

    settings = load_settings([Path(".")], config_path)
    registry.check_settings(settings)
    enabled = set(registry.enabled(settings))
    for rule in registry.all_rules():
        severity = settings.severity.get(rule.code, rule.severity).value
        state = severity if rule in enabled else "off"
        fix = "-" if rule.fix is Fix.NONE else rule.fix.value
        click.echo(f"{rule.code}  {rule.name:<26} {state:<8} {fix:<6} {rule.summary}")
    sys.stdout.flush()  # a closed pipe shows here, inside _reports_errors


@main.command("rule")
@click.argument("code")
@_reports_errors
def show_rule(code: str) -> None:
    """Print a rule's reference page (by code or name)."""
    from formalai_lint import registry, resources  # here: loads the rules (start-up time)

    rule = registry.find(code)
    if rule is None:
        raise UsageError(f"unknown rule `{code}` (see `formalai-lint rules`)")
    page = resources.rule_page(rule.code)
    click.echo(page if page is not None else f"{rule.code} {rule.name}: {rule.summary}")


@main.command("report")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@_run_options
@click.option(
    "--output",
    "output_path",
    required=True,
    type=click.Path(path_type=Path),
    help="Write the HTML page here.",
)
@click.option(
    "--link-base",
    help="Link findings to their source: URL of the project's root (a repository's blob URL).",
)
@click.option(
    "--baseline",
    "baseline_path",
    type=click.Path(path_type=Path),
    help="Show what is new and what was fixed since this baseline file.",
)
@click.option("-v", "--verbose", is_flag=True, help="Show tracebacks of rule crashes.")
@_reports_errors
def health_report(paths: tuple[Path, ...], **opts: Any) -> None:
    """Write one self-contained HTML page of the knowledge base's health.

    The same run as `check` (configuration, files, cache, exit codes); the page shows the
    findings per rule and folder, the level map and the link health.
    """
    from formalai_lint import healthrun
    from formalai_lint.rules.tool.internal_error import InternalError

    targets_given = list(paths) or [Path(".")]
    with _open_session(targets_given, opts) as session:
        root = session.settings.root
        result = session.check(targets_given)  # a file named: also those linking into it
        targets = result.targets
        facts = healthrun.facts(session.phase1.run, targets, session.files)
        reported, outcome = result.diagnostics, None
        if opts["baseline_path"] is not None:
            outcome = session.compare_baseline(reported, targets, opts["baseline_path"])
            reported = outcome.new
        page = healthrun.page(
            session.settings,
            targets,
            session.files,
            result.diagnostics,
            facts,
            opts["link_base"],
            opts["baseline_path"],
            outcome,
        )
    _write_output(opts["output_path"], page, root)
    if outcome is not None:
        click.echo(
            f"formalai-lint: baseline `{opts['baseline_path']}` accounts for "
            f"{outcome.matched} diagnostics",
            err=True,
        )
    click.echo(report.summary(reported, result.files_checked), err=True)
    size = len(page.encode("utf-8", "backslashreplace"))
    click.echo(f"formalai-lint: wrote {opts['output_path']} ({size} bytes)", err=True)
    if opts["verbose"]:
        for trace in result.tracebacks:
            click.echo(trace, err=True)
    if any(d.code == InternalError.code for d in result.diagnostics):
        sys.exit(EXIT_ERROR)
    sys.exit(EXIT_FINDINGS if any(d.severity == "error" for d in reported) else EXIT_CLEAN)
