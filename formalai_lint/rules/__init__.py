"""Built-in rules, one folder per family (toc, links, related, levels, numbering, tool), one
module per rule, named after what it checks.

The table of them is the `formalai_lint.rules` entry-point group in pyproject.toml.
"""
