"""The command line: `formalai-lint [PATH]...`, `formalai-lint rules`, `formalai-lint rule CODE`.

Exit codes: 0 no error-severity diagnostics, 1 at least one, 2 a usage, configuration or
internal error (never a traceback for a user's mistake; `-v` shows tracebacks of crashes).
"""

from __future__ import annotations

import sys
import traceback
from collections.abc import Callable, Sequence
from functools import wraps
from pathlib import Path
from typing import Any

import click

from formalai_lint import __version__
from formalai_lint.config import ConfigError, is_selector

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


class _DefaultToCheck(click.Group):
    """`formalai-lint docs/` means `formalai-lint check docs/`."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if not args or (args[0] not in self.commands and args[0] not in ("--help", "--version")):
            args = ["check", *args]
        return super().parse_args(ctx, args)


def _reports_errors(func: Callable[..., Any]) -> Callable[..., Any]:
    """Turn our own exceptions into a one-line message and exit code 2."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except ConfigError as e:
            click.echo(f"formalai-lint: error: {e}", err=True)
            sys.exit(EXIT_ERROR)
        except (click.exceptions.Exit, click.ClickException, SystemExit, KeyboardInterrupt):
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
            raise ConfigError(f"{flag}: `{selector}` is not a rule code, prefix or name")
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
@click.option("--config", "config_path", type=click.Path(path_type=Path), help="Use this config file.")
@click.option("--select", multiple=True, help="Rules to run (codes, prefixes like FL2, or names); comma-separated.")
@click.option("--extend-select", multiple=True, help="Rules to run in addition to the selected ones.")
@click.option("--ignore", multiple=True, help="Rules not to run.")
@click.option(
    "--output-format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="How to print diagnostics.",
)
@click.option("-v", "--verbose", is_flag=True, help="Show tracebacks of rule crashes.")
@_reports_errors
def check(paths: tuple[Path, ...], **opts: Any) -> None:
    """Lint Markdown files and folders (default: the current folder)."""
    from formalai_lint import engine, files, registry, report
    from formalai_lint.config import load_settings
    from formalai_lint.rules.internal_error import InternalError

    targets_given = list(paths) or [Path(".")]
    output_format: str = opts["output_format"]
    for path in targets_given:
        if not path.exists() and not path.is_symlink():
            raise ConfigError(f"path `{path}` does not exist")
    settings = load_settings(
        targets_given,
        opts["config_path"],
        select=_selectors(opts["select"], "--select"),
        extend_select=_selectors(opts["extend_select"], "--extend-select"),
        ignore=_selectors(opts["ignore"], "--ignore"),
    )
    source = str(settings.config_file or "the command line")
    for key in ("select", "extend_select", "ignore"):
        registry.check_selectors(getattr(settings, key), source)

    all_files = files.project_files(settings.root)
    targets = files.select_targets(targets_given, settings.root, all_files, settings.exclude)
    result = engine.lint(settings, targets, all_files)

    cwd = Path.cwd()
    click.echo(report.render(result.diagnostics, output_format, settings.root, cwd), nl=False)
    if output_format == "text":
        click.echo(report.summary(result.diagnostics, result.files_checked), err=True)
    if opts["verbose"]:
        for trace in result.tracebacks:
            click.echo(trace, err=True)
    if any(d.code == InternalError.code for d in result.diagnostics):
        sys.exit(EXIT_ERROR)
    sys.exit(EXIT_FINDINGS if any(d.severity == "error" for d in result.diagnostics) else EXIT_CLEAN)


@main.command("rules")
@_reports_errors
def list_rules() -> None:
    """List every rule: code, name, default severity, summary."""
    from formalai_lint import registry

    for rule in registry.all_rules():
        click.echo(f"{rule.code}  {rule.name:<26} {rule.severity.value:<8} {rule.summary}")


@main.command("rule")
@click.argument("code")
@_reports_errors
def show_rule(code: str) -> None:
    """Print a rule's reference page (by code or name)."""
    from formalai_lint import registry, resources

    rule = registry.find(code)
    if rule is None:
        raise ConfigError(f"unknown rule `{code}` (see `formalai-lint rules`)")
    page = resources.rule_page(rule.code)
    click.echo(page if page is not None else f"{rule.code} {rule.name}: {rule.summary}")
