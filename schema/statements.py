"""What every model record states for a reader choosing a model: whether its weights are
published, under which licence, and how large it is, or, where no source says, why not
(issue 14). Checked where each record is read, so a problem names the file, line and field."""
from __future__ import annotations

from .loader import Document, Problem


def statement_problems(model, doc: Document) -> list[Problem]:
    problems = []

    def problem(loc: tuple, message: str) -> None:
        line, col = doc.position(loc if loc[0] in doc.data else ("id",))  # a missing key: the record's id line
        problems.append(Problem(doc.path, line, col, ".".join(map(str, loc)), message))

    if model.open_weights is None:
        problem(("open_weights",), "required: state whether the weights are published for download "
                "(true/false; a closed or unreleased model is false)")
    if model.license is None:
        problem(("license",), "required: the weights' licence id, 'proprietary', or 'unknown' with "
                "license_note saying why (see the licences table in CONTRIBUTING.md)")
    elif model.license == "unknown" and not model.license_note:
        problem(("license",), "'unknown' needs a license_note saying why (what was read, e.g. only the "
                "code's licence is stated)")
    if model.sizes_note:
        return problems
    if not model.variants:
        problem(("variants",), "list the released checkpoints with their params, or say in sizes_note why "
                "there are none (e.g. 'closed model: no source read states a parameter count')")
    for i, variant in enumerate(model.variants):
        if variant.params is None:
            problem(("variants", i, "params"), f"{variant.name!r} has no params: give its total parameters "
                    "from a source, or say in sizes_note why not")
            break  # one problem per record: the note covers them all
    return problems
