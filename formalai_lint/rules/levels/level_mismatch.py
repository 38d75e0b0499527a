from collections.abc import Iterator

from formalai_lint.diagnostic import Diagnostic
from formalai_lint.document import Document
from formalai_lint.rules.levels._view import LevelRule, declared_levels


class LevelMismatch(LevelRule):
    """The level named by the file name (`03.1.5-L0-…`), the H1 (`# 03.1.5-L0: …`) and the
    front matter (`level: L0`) disagree, or names a level that is not configured."""

    code = "FL407"
    name = "level-mismatch"
    summary = "File name, H1 and front matter disagree on the level, or the level is unknown"

    def check(self, doc: Document) -> Iterator[Diagnostic]:
        model = self.model
        declared = declared_levels(doc)
        if not declared:
            return
        line = declared.get("H1", ("", 1))[1]
        ids = {level_id for level_id, _ in declared.values()}
        if len(ids) > 1:
            said = ", ".join(
                f"{where} says {level_id}" for where, (level_id, _) in declared.items()
            )
            yield self.diagnostic(
                doc.path,
                line,
                1,
                f"the level is stated inconsistently: {said}",
                doc.title or doc.path,
            )
        known = ", ".join(lv.id for lv in sorted(model.levels, key=lambda lv: lv.id))
        for level_id in sorted(ids):
            if model.get(level_id) is None:
                where = " and ".join(w for w, (i, _) in declared.items() if i == level_id)
                yield self.diagnostic(
                    doc.path,
                    line,
                    1,
                    f"{where} names level {level_id}, which is not configured ({known})",
                    level_id,
                )
