"""Built-in rules, one module each, named after what they check.

The table of them is the `formalai_lint.rules` entry-point group in pyproject.toml.
"""
