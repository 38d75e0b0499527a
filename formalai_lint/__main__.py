"""The `formalai-lint` command (and `python -m formalai_lint`).

`formalai-lint server`, as an editor starts the language server, goes to the server at
once: the command line's own modules (click, the output formats) are never loaded, about
100 ms of the server's start-up. Everything else is `cli.main`.
"""

from __future__ import annotations

import sys


def main() -> None:
    if sys.argv[1:] == ["server"]:
        from formalai_lint.server import serve

        serve()
        return
    from formalai_lint.cli import main as command_line

    command_line()


if __name__ == "__main__":
    main()
