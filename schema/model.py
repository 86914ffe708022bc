"""The record schema of one MM-LLM (one file in `models/`).

It follows the survey's pipeline: Modality Encoder -> Input Projector -> LLM Backbone ->
Output Projector -> Modality Generator (Zhang et al. 2024, arXiv 2401.13601, Section 2).
For every component "none" (verified absent) and "unknown" (nobody reported it) are distinct.
"""
from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal

from pydantic import (AfterValidator, BaseModel, ConfigDict, Field, StringConstraints, ValidationInfo,
                      field_validator, model_validator)
from pydantic.json_schema import GenerateJsonSchema

from . import vocabularies as vocab

# -- basic types ---------------------------------------------------------------------------

# Patterns are published in the JSON Schemas, where editors and JavaScript validators read them
# as ECMA-262 (`u` flag), while pydantic matches with Rust's regex: so no `\d` or `\s` (their
# sets differ between the two) and no needless escape (`\"` is an error under `u`).
# http(s) only: a record can never smuggle a javascript: or data: link onto the site. Not in a
# URL: control characters, the Unicode spaces (listed), <, >, " and '.
_NOT_IN_URL = r"""\x00-\x20\x7f-\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff<>"'"""
Url = Annotated[str, StringConstraints(pattern=rf"^https?://[^{_NOT_IN_URL}]+$", max_length=2000)]
ArxivId = Annotated[str, StringConstraints(pattern=r"^[0-9]{4}\.[0-9]{4,5}$")]
Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]{0,79}$")]
# Plain text: one line, no control characters, bounded.
Text = Annotated[str, StringConstraints(pattern=r"^[^\x00-\x1f\x7f]*$", min_length=1, max_length=500)]
Note = Annotated[str, StringConstraints(pattern=r"^[^\x00-\x08\x0b-\x1f\x7f]*$", max_length=2000)]
# Parameter counts as printed by papers: "7B", "1.4B", "350M".
Size = Annotated[str, StringConstraints(pattern=r"^[0-9]+(\.[0-9]+)?[MBT]$")]
# Data amounts as printed by the survey: "129M", "0.6M", "1.4B", "5.5M", "600K".
Amount = Annotated[str, StringConstraints(pattern=r"^[0-9]+(\.[0-9]+)?[KMBT]?$")]

LicenseId = Literal[tuple(vocab.licenses())]  # type: ignore[valid-type]
# one Literal, so a misspelt licence gets one message with one list of choices
LicenseOrUnknown = Literal[(*vocab.licenses(), "unknown")]  # type: ignore[valid-type]
ModalityId = Literal[tuple(vocab.modalities())]  # type: ignore[valid-type]
ProjectorTypeId = Literal[tuple(vocab.projector_types())]  # type: ignore[valid-type]
# the scorable benchmark records (benchmarks/*.yaml); plain text if the folder is absent
BenchmarkKey = Literal[tuple(vocab.benchmarks())] if vocab.benchmarks() else str  # type: ignore[valid-type]
Absent = Literal["none", "unknown"]
# outputs that only a modality generator (or a tool) can make
GENERATED_MODALITIES = ("image", "video", "audio", "3d")
SourceKind = Literal["survey", "survey-table", "paper", "paper-table", "readme", "model-card",
                     "leaderboard", "project-page", "third-party"]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _unique(values: list) -> list:
    if len(values) != len(set(values)):
        raise ValueError("values must not repeat")
    return values


class JsonSchema(GenerateJsonSchema):
    """How the records' JSON Schemas are published: a list checked by `_unique` says so
    (`uniqueItems`), so an editor flags a repeated value as `mmllm validate` does."""

    def function_after_schema(self, schema):
        out = super().function_after_schema(schema)
        if schema["function"].get("function") is _unique:
            out = {**out, "uniqueItems": True}
        return out


def _unique_names(values: list) -> list:
    names = [v.name for v in values]
    if len(names) != len(set(names)):
        raise ValueError("variant names must not repeat")
    return values


# -- parts ---------------------------------------------------------------------------------

class Source(Strict):
    url: Url
    kind: SourceKind | None = None
    note: Note | None = Field(None, description="what this source supports")


class Paper(Strict):
    # what _named checks, published for editors
    model_config = ConfigDict(json_schema_extra={"anyOf": [
        {"required": ["title"], "properties": {"title": {"type": "string"}}},
        {"required": ["arxiv"], "properties": {"arxiv": {"type": "string"}}}]})

    title: Text | None = Field(None, description="unknown when the source gives only the arXiv id")
    arxiv: ArxivId | None = None
    url: Url | None = None

    @model_validator(mode="after")
    def _named(self) -> Paper:
        if self.title is None and self.arxiv is None:
            raise ValueError("a paper needs its title or its arXiv id")
        return self


class Links(Strict):
    code: Url | None = None
    project: Url | None = None
    weights: Url | None = None
    demo: Url | None = None


class IO(Strict):
    input: Annotated[list[ModalityId], Field(min_length=1), AfterValidator(_unique)]
    output: Annotated[list[ModalityId], Field(min_length=1), AfterValidator(_unique)]
    notation: Text | None = Field(
        None, description="the survey's shorthand, e.g. 'I+T -> I_B+T'; must agree with input/output",
        json_schema_extra=lambda schema: _publish_notation_pattern(schema))

    @model_validator(mode="after")
    def _notation_agrees(self) -> IO:
        if self.notation is None:
            return self
        parsed = parse_io_notation(self.notation)
        if parsed is None:
            raise ValueError(f"cannot read the I->O notation {self.notation!r}; "
                             "write it like 'I+V+T -> T' with the survey's letters")
        if (set(parsed[0]), set(parsed[1])) != (set(self.input), set(self.output)):
            raise ValueError(f"notation {self.notation!r} says input {sorted(parsed[0])} and output "
                             f"{sorted(parsed[1])}, but the record lists input {sorted(self.input)} "
                             f"and output {sorted(self.output)}")
        return self


class Encoder(Strict):
    modalities: Annotated[list[ModalityId], Field(min_length=1), AfterValidator(_unique)]
    name: Text
    resolution: int | None = Field(None, gt=0, le=10000, description="input side in pixels")
    note: Note | None = None
    source: Url | None = None


class Projector(Strict):
    types: Annotated[list[ProjectorTypeId], Field(min_length=1), AfterValidator(_unique)] = Field(
        description="the kinds of layer it is made of, main one first")
    name: Text = Field(description="as the source prints it, e.g. 'Q-Former w/ Linear Projector'")
    modalities: Annotated[list[ModalityId], AfterValidator(_unique)] = []
    note: Note | None = None
    source: Url | None = None


class LLM(Strict):
    name: Text
    sizes: Annotated[list[Size], AfterValidator(_unique)] = []
    note: Note | None = None
    source: Url | None = None


class Generator(Strict):
    modalities: Annotated[list[ModalityId], Field(min_length=1), AfterValidator(_unique)]
    name: Text
    note: Note | None = None
    source: Url | None = None


class Architecture(Strict):
    modality_encoder: Absent | Annotated[list[Encoder], Field(min_length=1)] = "unknown"
    input_projector: Absent | Annotated[list[Projector], Field(min_length=1)] = "unknown"
    llm_backbone: Literal["unknown"] | Annotated[list[LLM], Field(min_length=1)] = "unknown"
    output_projector: Absent | Annotated[list[Projector], Field(min_length=1)] = "unknown"
    modality_generator: Absent | Annotated[list[Generator], Field(min_length=1)] = "unknown"
    source: Url | None = Field(None, description="where the five parts are stated, if one place")


def size_value(size: str) -> float:
    """'7B' -> 7e9, '350M' -> 3.5e8: for comparing and sorting sizes, never for display."""
    return float(size[:-1]) * {"M": 1e6, "B": 1e9, "T": 1e12}[size[-1]]


class Variant(Strict):
    """One released checkpoint of the model (a size, a chat/instruct version, an MoE build)."""
    name: Text = Field(description="as released, e.g. 'Qwen2.5-VL-7B-Instruct'")
    params: Size | None = Field(None, description="total parameters as the source prints them, e.g. '8.3B'")
    active_params: Size | None = Field(
        None, description="for a mixture-of-experts model: parameters active per token, e.g. '22B'")
    license: LicenseId | None = Field(None, description="when it differs from the record's `license`")
    weights: Url | None = Field(None, description="where this variant's weights are published")
    source: Url | None = Field(None, description="where its size (and licence) is stated")
    note: Note | None = None

    @model_validator(mode="after")
    def _active_within_total(self) -> Variant:
        if self.active_params and self.params and size_value(self.active_params) > size_value(self.params):
            raise ValueError(f"active_params {self.active_params} is more than params {self.params}; "
                             "active parameters are the part of the total used per token")
        return self


class Tool(Strict):
    name: Text
    purpose: Note | None = None
    source: Url | None = None


class DataAmount(Strict):
    amount: Amount = Field(description="as printed, e.g. '129M'")
    unit: Text | None = Field(None, description="what is counted, e.g. 'image-text pairs'")
    note: Note | None = None
    source: Url | None = None

    @property
    def count(self) -> float:
        mult = {"K": 1e3, "M": 1e6, "B": 1e9, "T": 1e12}
        return float(self.amount.rstrip("KMBT")) * mult.get(self.amount[-1], 1)


class DataScale(Strict):
    pretraining: Literal["not reported"] | DataAmount = "not reported"
    instruction_tuning: Literal["not reported"] | DataAmount = "not reported"


class Result(Strict):
    """One reported score of one variant on one benchmark, as one source prints it."""
    benchmark: BenchmarkKey
    variant: Text | None = Field(None, description="model variant, e.g. '7B' or 'LLaVA-1.5-13B'")
    reported_as: Text | None = Field(
        None, description="the model's name as the source prints it, when it differs from the record's")
    llm: Text | None = Field(None, description="the variant's LLM backbone as the source prints it")
    split: Text | None = None
    setting: Text | None = Field(None, description="e.g. 'zero-shot', '4-shot', 'w/ subtitles'")
    metric: Text | None = Field(None, description="the metric as the source names it")
    score: float
    printed: Text | None = Field(
        None, description="the score exactly as printed, when that differs from the plain number "
                          "(e.g. '591' or '0.6140')")
    printed_scale: float | None = Field(
        None, gt=0, description="top of the scale the source prints on, when it is not the "
                                "benchmark's own (e.g. 100 for a QBench accuracy printed as a percentage)")
    source: Url
    source_kind: SourceKind
    note: Note | None = None

    @model_validator(mode="after")
    def _within_scale(self) -> Result:
        bench = vocab.benchmarks()[self.benchmark]
        hi = bench.scale_max
        if self.printed_scale is not None:
            allowed = printed_scales(self.benchmark)
            if self.printed_scale not in allowed:
                raise ValueError(f"printed_scale {self.printed_scale:g} is not a scale {self.benchmark} "
                                 f"is printed on; use one of {', '.join(f'{a:g}' for a in sorted(allowed))}"
                                 " or leave it out")
            hi = self.printed_scale
        if self.score < bench.scale_min or (hi is not None and self.score > hi):
            hint = ("" if self.printed_scale is not None or len(printed_scales(self.benchmark)) < 2
                    else "; if the source prints another scale, set printed_scale")
            raise ValueError(f"score {self.score:g} is outside the {self.benchmark} scale "
                             f"{bench.scale_min:g}-{'' if hi is None else f'{hi:g}'} ({bench.metric})"
                             + hint)
        if self.printed is not None:
            try:
                same = float(self.printed) == self.score
            except ValueError:
                same = False
            if not same:
                raise ValueError(f"printed {self.printed!r} does not read as the score {self.score:g}")
        return self

    @property
    def normalized(self) -> float:
        """The score on the benchmark's own scale (for ranking only; show `shown`)."""
        bench = vocab.benchmarks()[self.benchmark]
        if self.printed_scale is None or bench.scale_max is None:
            return self.score
        return self.score * bench.scale_max / self.printed_scale

    @property
    def shown(self) -> str:
        """The score as the source prints it."""
        return self.printed if self.printed is not None else repr(self.score)


def printed_scales(benchmark: str) -> set[float]:
    """The scale tops a benchmark's scores are printed on: its own, and any its scale note names
    (e.g. QBench '0-1 or 0-100 (both appear)' -> {1, 100})."""
    bench = vocab.benchmarks()[benchmark]
    note = getattr(bench, "scale_note", None) or ""
    tops = {float(x) for x in re.findall(r"\b0-(\d+(?:\.\d+)?)", note)}
    if bench.scale_max is not None:
        tops.add(float(bench.scale_max))
    return tops


# -- the record ----------------------------------------------------------------------------

class ModelRecord(Strict):
    """One MM-LLM. The file is `models/<id>.yaml`."""
    # the rules across fields that JSON Schema can state, published for editors: `tools` only
    # on a tool-using system (_consistent), open_weights agreeing with license and weights, and
    # what schema/statements.py asks of every record (open weights, licence, sizes, or why not)
    model_config = ConfigDict(json_schema_extra={"allOf": [
        # (each `required` names its properties beside it, as ajv's strict mode asks)
        {"properties": {"open_weights": True, "license": True}, "required": ["open_weights", "license"]},
        {"if": {"properties": {"license": {"const": "unknown"}}, "required": ["license"]},
         "then": {"properties": {"license_note": True}, "required": ["license_note"]}},
        {"if": {"not": {"properties": {"sizes_note": True}, "required": ["sizes_note"]}},
         "then": {"required": ["variants"],
                  "properties": {"variants": {"type": "array", "minItems": 1, "items": {
                      "type": "object", "properties": {"params": True}, "required": ["params"]}}}}},
        {"if": {"not": {"properties": {"design": {"const": "tool-using"}}}},
         "then": {"properties": {"tools": {"type": "array", "maxItems": 0}}}},
        {"if": {"properties": {"open_weights": {"const": True}}, "required": ["open_weights"]},
         "then": {"properties": {"license": {"not": {"const": "proprietary"}}}}},
        {"if": {"properties": {"open_weights": {"const": False}}, "required": ["open_weights"]},
         "then": {"properties": {"variants": {"type": "array", "items": {"not": {
             "type": "object", "properties": {"weights": {"type": "string"}}, "required": ["weights"]}}}}}},
        {"if": {"allOf": [
            {"not": {"properties": {"design": {"const": "tool-using"}}}},
            {"properties": {"architecture": {"type": "object",
                                             "properties": {"modality_generator": {"const": "none"}},
                                             "required": ["modality_generator"]}},
             "required": ["architecture"]}]},
         "then": {"properties": {"io": {"type": "object", "properties": {"output": {
             "type": "array", "items": {"not": {"enum": list(GENERATED_MODALITIES)}}}}}}}},
    ]})

    id: Slug = Field(description="the file name without .yaml")
    name: Text
    aliases: Annotated[list[Text], AfterValidator(_unique)] = []
    former_ids: Annotated[list[Slug], AfterValidator(_unique)] = Field(
        [], description="ids the record had before a rename; each gets a page that redirects here")
    date: dt.date = Field(description="first public release (arXiv v1 or official release)")
    date_note: Note | None = Field(
        None, description="why `date` is later than the month of the paper's arXiv id, when it is")
    added: dt.date = Field(description="the day the record entered the catalogue")
    venue: Text | None = None
    organizations: Annotated[list[Text], AfterValidator(_unique)] = []
    paper: Paper | None = None
    links: Links = Links()
    io: IO
    functional: Annotated[list[Literal["understanding", "generation"]], Field(min_length=1),
                          AfterValidator(_unique)]
    design: Literal["end-to-end", "tool-using", "unknown"]
    architecture: Architecture | None = None
    tools: list[Tool] = []
    data_scale: DataScale = DataScale()
    open_weights: bool | None = Field(None, description="true when weights are published for download")
    license: LicenseOrUnknown | None = Field(
        None, description="an id of schema/vocabularies/licenses.yaml (SPDX id, named licence or "
                          "'proprietary'); 'unknown' when no source states it (say why in license_note)")
    license_note: Note | None = Field(
        None, description="why the licence is unknown, or what a reader must know about it (e.g. the "
                          "code's licence differs from the weights')")
    variants: Annotated[list[Variant], AfterValidator(_unique_names)] = Field(
        [], description="the released checkpoints with their sizes, licences and weights")
    sizes_note: Note | None = Field(
        None, description="why sizes are missing: no variant is listed, or a variant has no params "
                          "(e.g. 'closed model: no source read states a parameter count')")
    results: list[Result] = []
    notes: list[Note] = Field([], description="curator remarks: conflicts, third-party sources, "
                              "values left unknown because a source only implied them")
    sources: Annotated[list[Source], Field(min_length=1)]

    @field_validator("former_ids")
    @classmethod
    def _not_own_id(cls, value: list[str], info: ValidationInfo) -> list[str]:
        if info.data.get("id") in value:
            raise ValueError(f"{info.data['id']!r} is the record's current id; former_ids lists only ids it had before")
        return value

    @model_validator(mode="after")
    def _consistent(self) -> ModelRecord:
        if self.tools and self.design != "tool-using":
            raise ValueError("only a tool-using system lists `tools`; set design: tool-using")
        if self.date > self.added:
            raise ValueError(f"date {self.date} is after added {self.added}")
        return self

    # Checks across fields run as validators of the later field (pydantic fills `info.data` in
    # field order), so an error points at the line that holds the contradiction.
    @field_validator("paper")
    @classmethod
    def _date_not_after_arxiv_month(cls, paper: Paper | None, info: ValidationInfo) -> Paper | None:
        date = info.data.get("date")
        if paper is None or paper.arxiv is None or date is None or info.data.get("date_note"):
            return paper
        year, month = arxiv_month_of(paper.arxiv)
        if (date.year, date.month) > (year, month):
            raise ValueError(f"date {date} is later than the month of arXiv id {paper.arxiv} "
                             f"({year}-{month:02d}); the date is the first public release: use the "
                             "arXiv v1 date, or say in date_note why it is later")
        return paper

    @field_validator("architecture")
    @classmethod
    def _generators_make_outputs(cls, arch: Architecture | None, info: ValidationInfo):
        """A modality generator makes a non-text output, so that output must be in io.output."""
        io = info.data.get("io")
        if arch is None or io is None or isinstance(arch.modality_generator, str):
            return arch
        for gen in arch.modality_generator:
            missing = [mod for mod in gen.modalities if mod not in io.output]
            if missing:
                raise ValueError(f"the modality generator {gen.name!r} makes {', '.join(missing)}, "
                                 f"but io.output is {io.output}; add that output to io, or correct "
                                 "the generator")
        return arch

    @field_validator("architecture")
    @classmethod
    def _components_take_the_io(cls, arch: Architecture | None, info: ValidationInfo):
        """An encoder or input projector handles an input of the model (an image component also
        serves video and document input, which reach it as frames or pages); an output projector
        feeds an output of the model."""
        io = info.data.get("io")
        if arch is None or io is None:
            return arch

        def missing(mods: list[str], side: list[str]) -> list[str]:
            return [m for m in mods if m not in side
                    and not (m == "image" and side is io.input and {"video", "document"} & set(side))]
        stages = [("modality encoder", arch.modality_encoder, io.input, "io.input"),
                  ("input projector", arch.input_projector, io.input, "io.input"),
                  ("output projector", arch.output_projector, io.output, "io.output")]
        for label, items, side, where in stages:
            if isinstance(items, str):
                continue
            for item in items:
                gone = missing(item.modalities, side)
                if gone:
                    raise ValueError(f"the {label} {item.name!r} handles {', '.join(gone)}, but {where} is "
                                     f"{side}; add that modality to io, or correct the component's modalities")
        return arch

    @field_validator("architecture")
    @classmethod
    def _generated_outputs_have_a_generator(cls, arch: Architecture | None, info: ValidationInfo):
        """A model whose output includes an image, video, audio or 3D modality makes it with a modality
        generator; `none` there contradicts io.output (a tool-using system makes it with its tools)."""
        io = info.data.get("io")
        if arch is None or io is None or arch.modality_generator != "none" \
                or info.data.get("design") == "tool-using":
            return arch
        made = [m for m in io.output if m in GENERATED_MODALITIES]
        if made:
            raise ValueError(f"modality_generator is none, but io.output has {', '.join(made)}; name the "
                             "generator (or unknown), or, if the model retrieves rather than generates "
                             "images, write retrieved-image in io.output")
        return arch

    @field_validator("license")
    @classmethod
    def _license_agrees_with_weights(cls, license: str | None, info: ValidationInfo):
        if license == "proprietary" and info.data.get("open_weights"):
            raise ValueError("'proprietary' means no published weights, but open_weights is true; "
                             "name the licence the weights are published under")
        return license

    @field_validator("variants")
    @classmethod
    def _weights_agree_with_open_weights(cls, variants: list[Variant], info: ValidationInfo):
        if info.data.get("open_weights") is False and any(v.weights for v in variants):
            raise ValueError("open_weights is false, but a variant links its weights")
        return variants


def arxiv_month_of(arxiv: str) -> tuple[int, int]:
    """'2304.08485' -> (2023, 4): new-style arXiv ids begin with the year and month of v1."""
    return 2000 + int(arxiv[:2]), int(arxiv[2:4])


# -- I->O notation -------------------------------------------------------------------------

# "I/V" (image or video through one encoder) and "A(Speech+Music)" appear in the survey's tracker.
_SPECIAL = {"I/V": ["image", "video"], "A(Speech+Music)": ["audio"]}


def _side(text: str) -> list[str] | None:
    by_notation = vocab.modality_by_notation()
    out: list[str] = []
    # split on '+' but not inside parentheses
    for token in re.split(r"\+(?![^()]*\))", text.strip()):
        token = token.strip()
        ids = _SPECIAL.get(token) or ([by_notation[token]] if token in by_notation else None)
        if ids is None:
            return None
        out += [i for i in ids if i not in out]
    return out


# what str.strip() removes around a token, less the control characters Text refuses anyway
_SPACE = r"[ \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*"


def _literal(text: str) -> str:
    """`text` as a regular expression, for ECMA-262 (`u` flag) and Rust alike: re.escape would
    also escape '-', '#', '&', '~' and spaces, which is an error under `u`."""
    return re.sub(r"[\^$\\.*+?()[\]{}|]", r"\\\g<0>", text)


def io_notation_pattern() -> str:
    """What parse_io_notation reads, as a regular expression that means the same in ECMA-262
    and Rust's regex: published in the JSON Schema so that editors flag what it cannot read."""
    tokens = sorted([*vocab.modality_by_notation(), *_SPECIAL], key=len, reverse=True)
    token = "(?:" + "|".join(_literal(t) for t in tokens) + ")"
    side = f"{_SPACE}{token}(?:{_SPACE}\\+{_SPACE}{token})*{_SPACE}"
    return f"^{side}->{side}$"


def _publish_notation_pattern(schema: dict) -> None:
    text = next(branch for branch in schema["anyOf"] if branch.get("type") == "string")
    text["pattern"] = io_notation_pattern()  # stricter than Text's own pattern, which it implies


def parse_io_notation(notation: str) -> tuple[list[str], list[str]] | None:
    """'I+T -> I_B+T' -> (['image', 'text'], ['bounding-box', 'text']); None if unreadable."""
    if notation.count("->") != 1:
        return None
    left, right = notation.split("->")
    ins, outs = _side(left), _side(right)
    return None if ins is None or outs is None else (ins, outs)


def io_notation(inputs: list[str], outputs: list[str]) -> str:
    """The survey's shorthand for a pair of modality lists, text last as the survey prints it."""
    mods = vocab.modalities()

    def side(ids: list[str]) -> str:
        ordered = [i for i in ids if i != "text"] + (["text"] if "text" in ids else [])
        return "+".join(mods[i].notation for i in ordered)
    return f"{side(inputs)} -> {side(outputs)}"
