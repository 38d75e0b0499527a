"""FL5xx: heading numbers count up. `_view` is the shared reading of the numbered headings."""
