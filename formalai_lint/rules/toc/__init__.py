"""FL1xx: the table of contents agrees with the headings. `_view` is the shared reading of a
document's TOC and headings, `fix` the safe fix of FL101-FL105."""
