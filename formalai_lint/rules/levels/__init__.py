"""FL4xx: convergence and adoption levels. `model` is the L0-L4 level model, `quantities` reads
percentages and formulas, `_view` is the shared reading of a document's level tables."""
