"""The errors that stop a run: the bottom layer, imported by every other (it imports nothing).

Each is reported by the command line as one line, `formalai-lint: error: <message>`, with exit
code 2, never a traceback. They differ in whose mistake or what failure they name, so that a
caller of the Python API can tell them apart:

- `UsageError`: a mistake on the command line or in a call (a path that does not exist, a
  flag that needs another, an unknown rule code asked for);
- `ConfigError`: a mistake in the configuration file (or a rule plugin that cannot load);
- `BaselineError`: a baseline file that cannot be read, is not a baseline or cannot be written;
- `CacheError`: a `--cache-dir` that cannot hold a cache;
- `WorkerError`: a worker process died (out of memory, killed);
- `OutputError`: the output cannot be written (stdout closed or full, `--output-file`).
"""

from __future__ import annotations


class LintError(Exception):
    """Any error that stops a run: reported on one line, exit code 2."""


class UsageError(LintError):
    """A mistake on the command line or in a call of the Python API."""


class ConfigError(LintError):
    """A mistake in the configuration (the file, or the rule plugins it selects from)."""


class BaselineError(LintError):
    """A baseline file that cannot be read, is not a baseline, or cannot be written."""


class CacheError(LintError):
    """A cache folder that cannot be used as one (named with `--cache-dir`)."""


class WorkerError(LintError):
    """A worker process died before it returned its results."""


class OutputError(LintError):
    """The output cannot be written (stdout, `--output-file`)."""
