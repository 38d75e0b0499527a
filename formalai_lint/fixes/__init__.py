"""What every fix shares: `edits` applies edits to a file's original bytes, and `html` renders
what a fix must not change. The fixes themselves live in their rule family
(`rules/toc/fix.py`, `rules/links/fix.py`); reading and writing files is `formalai_lint.fix`'s job.
"""
