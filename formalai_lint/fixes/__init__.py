"""The fixes: pure functions from a parsed document (and its diagnostics) to edits.

`toc` is the safe fix of FL101–FL105, `links` the unsafe fix of FL201–FL203 and FL301,
`edits` applies edits to a file's original bytes, and `html` renders what a fix must not
change. Reading and writing files is `formalai_lint.fix`'s job.
"""
