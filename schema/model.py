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

from . import vocabularies as vocab

# -- basic types ---------------------------------------------------------------------------

# http(s) only: a record can never smuggle a javascript: or data: link onto the site.
Url = Annotated[str, StringConstraints(pattern=r"^https?://[^\s<>\"']+$", max_length=2000)]
ArxivId = Annotated[str, StringConstraints(pattern=r"^\d{4}\.\d{4,5}$")]
Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]{0,79}$")]
# Plain text: one line, no control characters, bounded.
Text = Annotated[str, StringConstraints(pattern=r"^[^\x00-\x1f\x7f]*$", min_length=1, max_length=500)]
Note = Annotated[str, StringConstraints(pattern=r"^[^\x00-\x08\x0b-\x1f\x7f]*$", max_length=2000)]
# Parameter counts as printed by papers: "7B", "1.4B", "350M".
Size = Annotated[str, StringConstraints(pattern=r"^\d+(\.\d+)?[MBT]$")]
# Data amounts as printed by the survey: "129M", "0.6M", "1.4B", "5.5M", "600K".
Amount = Annotated[str, StringConstraints(pattern=r"^\d+(\.\d+)?[KMBT]?$")]

ModalityId = Literal[tuple(vocab.modalities())]  # type: ignore[valid-type]
ProjectorTypeId = Literal[tuple(vocab.projector_types())]  # type: ignore[valid-type]
# the scorable benchmark records (benchmarks/*.yaml); plain text if the folder is absent
BenchmarkKey = Literal[tuple(vocab.benchmarks())] if vocab.benchmarks() else str  # type: ignore[valid-type]
Absent = Literal["none", "unknown"]
SourceKind = Literal["survey", "survey-table", "paper", "paper-table", "readme", "model-card",
                     "leaderboard", "project-page", "third-party"]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _unique(values: list) -> list:
    if len(values) != len(set(values)):
        raise ValueError("values must not repeat")
    return values


# -- parts ---------------------------------------------------------------------------------

class Source(Strict):
    url: Url
    kind: SourceKind | None = None
    note: Note | None = Field(None, description="what this source supports")


class Paper(Strict):
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
        None, description="the survey's shorthand, e.g. 'I+T -> I_B+T'; must agree with input/output")

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

    id: Slug = Field(description="the file name without .yaml")
    name: Text
    aliases: Annotated[list[Text], AfterValidator(_unique)] = []
    former_ids: Annotated[list[Slug], AfterValidator(_unique)] = Field(
        [], description="ids the record had before a rename; each gets a page that redirects here")
    date: dt.date = Field(description="first public release (arXiv v1 or official release)")
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
    open_weights: bool | None = None
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
