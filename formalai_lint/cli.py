"""The command line: `formalai-lint [PATH]...`, `formalai-lint rules`, `formalai-lint rule CODE`.

Exit codes: 0 no error-severity diagnostics, 1 at least one, 2 a usage, configuration or
internal error (never a traceback for a user's mistake; `-v` shows tracebacks of crashes),
130 interrupted (Ctrl-C).
"""

from __future__ import annotations

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
            click.echo(f"formalai-lint: error: {e}", err=True)
            sys.exit(EXIT_ERROR)
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


@click.group(cls=_DefaultToCheck, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="formalai-lint")
def main() -> None:
    """Lint a FormalAI-style Markdown knowledge base.

    Run `formalai-lint [PATH]...` (the same as `formalai-lint check`) to lint files and
    folders; `formalai-lint check --help` lists its options.
    """


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--config", "config_path", type=click.Path(path_type=Path), help="Use this config file."
)
@click.option(
    "--select",
    multiple=True,
    help="Rules to run (codes, prefixes like FL2, or names); comma-separated.",
)
@click.option(
    "--extend-select", multiple=True, help="Rules to run in addition to the selected ones."
)
@click.option("--ignore", multiple=True, help="Rules not to run.")
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
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1, max=MAX_JOBS),
    help="Worker processes for parsing, at most one per CPU and per file to parse"
    "  [default: the number of CPUs; 1 runs in-process]",
)
@click.option("--no-cache", is_flag=True, help="Neither read nor write the cache.")
@click.option(
    "--cache-dir",
    type=click.Path(path_type=Path),
    help="Keep the cache here  [default: .formalai-lint-cache/ in the project root]",
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
@_reports_errors
def check(paths: tuple[Path, ...], **opts: Any) -> None:
    """Lint Markdown files and folders (default: the current folder)."""
    # Imported here, not at the top: `--version`, `--help`, `rules` and `rule` never load the
    # parser or the rules (start-up time).
    from formalai_lint.rules.tool.internal_error import InternalError
    from formalai_lint.session import Session

    if opts["verbose"]:  # rules log what they read and skipped at DEBUG (formalai_lint.levels)
        logging.basicConfig(format="%(name)s: %(message)s")
        logging.getLogger("formalai_lint").setLevel(logging.DEBUG)
    targets_given = list(paths) or [Path(".")]
    output_format: str = opts["output_format"]
    if opts["unsafe_fixes"] and not (opts["fix"] or opts["diff"]):
        raise UsageError("--unsafe-fixes only applies with --fix or --diff")
    if opts["statistics"] and output_format not in STATISTICS_FORMATS:
        raise UsageError(f"--statistics prints text or json, not {output_format}")
    with Session.open(
        targets_given,
        config=opts["config_path"],
        select=_selectors(opts["select"], "--select"),
        extend_select=_selectors(opts["extend_select"], "--extend-select"),
        ignore=_selectors(opts["ignore"], "--ignore"),
        jobs=opts["jobs"],
        cache=not opts["no_cache"],
        cache_dir=opts["cache_dir"],
        progress=output_format == "text" and sys.stderr.isatty(),
        verbose=opts["verbose"],
    ) as session:
        root = session.settings.root
        result = session.check(targets_given)
        targets = result.targets
        crashed = any(d.code == InternalError.code for d in result.diagnostics)
        if opts["write_baseline"]:
            count = session.write_baseline(result.diagnostics, targets, opts["write_baseline"])
            click.echo(
                f"formalai-lint: wrote {count} entries to {opts['write_baseline']}", err=True
            )
            sys.exit(EXIT_ERROR if crashed else EXIT_CLEAN)
        diagnostics = result.diagnostics
        if opts["baseline_path"] is not None:
            diagnostics = _compare_baseline(session, opts["baseline_path"], diagnostics, targets)
        fix_note = None
        if opts["fix"] or opts["diff"]:
            diagnostics, fix_note = _fix(session, opts, diagnostics)
        elif output_format == "text":
            fix_note = report.fixable_note(diagnostics)

    diagnostics = [_printable(d) for d in diagnostics]  # file names that are not UTF-8
    targets = [printable(t) for t in targets]
    cwd = Path.cwd()
    color = output_format == "text" and not opts["output_file"] and _color_allowed()
    if opts["statistics"]:
        output = report.statistics(diagnostics, output_format)
    else:
        output = report.render(diagnostics, output_format, root, cwd, files=targets, color=color)
    if opts["output_file"]:
        _write_output(opts["output_file"], output, root)
    else:
        _print_output(output, color)
    click.echo(report.summary(diagnostics, result.files_checked), err=True)
    if fix_note:
        click.echo(fix_note, err=True)
    if opts["verbose"]:
        for trace in result.tracebacks:
            click.echo(trace, err=True)
    if crashed:
        sys.exit(EXIT_ERROR)
    sys.exit(EXIT_FINDINGS if any(d.severity == "error" for d in diagnostics) else EXIT_CLEAN)


def _compare_baseline(
    session: Session, path: Path, diagnostics: list[Diagnostic], targets: Sequence[str]
) -> list[Diagnostic]:
    """The diagnostics not in the baseline file at `path`, with a note on stderr."""
    outcome = session.compare_baseline(diagnostics, targets, path)
    note = f"formalai-lint: baseline `{path}` accounts for {outcome.matched} diagnostics"
    if outcome.stale:
        note += (
            f"; {outcome.stale} of its entries no longer occur (prune with --write-baseline {path})"
        )
    click.echo(note, err=True)
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


def _color_allowed() -> bool:
    """Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org)."""
    return sys.stdout.isatty() and not os.environ.get("NO_COLOR")


def _printable(d: Any) -> Any:
    """`d` with its path and texts encodable as UTF-8 (see `safeio.printable`)."""
    fixed = {k: printable(getattr(d, k)) for k in ("path", "message", "text")}
    return d if all(fixed[k] is getattr(d, k) for k in fixed) else replace(d, **fixed)


def _print_output(output: str, color: bool) -> None:
    """The output on stdout; a stdout that cannot take it (a full disk, /dev/full, a closed
    pipe) is a one-line error, exit 2, not a traceback at exit."""
    try:
        click.echo(output, nl=False, color=color)
        sys.stdout.flush()
    except OSError as e:
        # What is still buffered would fail again when Python flushes stdout at exit.
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
        os.close(null)
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
@_reports_errors
def list_rules() -> None:
    """List every rule: code, name, default severity, summary."""
    from formalai_lint import registry  # here: loads the rules (start-up time of `--version`)

    for rule in registry.all_rules():
        click.echo(f"{rule.code}  {rule.name:<26} {rule.severity.value:<8} {rule.summary}")


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
