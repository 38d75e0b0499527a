"""FL5xx: heading numbers count up. `_view` is the shared reading of the numbered headings,
`fix` the unsafe fix of FL501/FL502 (renumbering, through `formalai_lint.rename`)."""
