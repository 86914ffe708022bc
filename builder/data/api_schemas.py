"""The JSON Schemas of the record kinds and of every file of the data API v1 (api/v1/).

The shapes of the API files are declared once, here, as pydantic models; the builder
(builder/api.py) writes plain dicts, and the tests validate every published file against the
schema published beside it. Record kinds keep their own schema (schema/*.py); an API entry
that carries a record is that record's model plus the derived fields declared below.
"""
from __future__ import annotations

import json
from functools import cache
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from schema import ModelRecord
from schema.model import JsonSchema
from schema.kinds import BenchmarkRecord, ComponentEntry, ComponentFile, DatasetRecord, SurveyRecord

DRAFT = "https://json-schema.org/draft/2020-12/schema"
SCHEMA_VERSION = 1
# record kind -> (schema, title); also the authoring schemas under schema/ (`mmllm schema`)
RECORD_KINDS: dict[str, tuple[type[BaseModel], str]] = {
    "model": (ModelRecord, "model record"),
    "dataset": (DatasetRecord, "instruction-tuning dataset record"),
    "benchmark": (BenchmarkRecord, "benchmark record"),
    "survey": (SurveyRecord, "related survey record"),
    "components": (ComponentFile, "component registry file"),
}


class Doc(BaseModel):
    model_config = ConfigDict(extra="forbid")


Version = Field(description="version of these schemas; v1 only gains fields, a rename or a "
                            "removal is v2")
Link = Field(description="a path relative to the site root")


# -- api/v1/models/<id>.json ---------------------------------------------------------------

class ComponentFamily(Doc):
    stage: Literal["modality_encoder", "llm_backbone", "modality_generator"]
    kind: Literal["encoder", "llm", "generator"]
    name: str = Field(description="as the record names it")
    component: str | None = Field(description="id of the registry entry (components.json); null "
                                              "when the registry does not know the name")
    family: str
    url: str | None = Field(description="the component's page, relative to the site root")


class Rank(Doc):
    """The model's best score on one benchmark under one protocol (split and setting), placed
    among the models scored under that protocol."""
    benchmark: str
    protocol: str = Field(description="the protocol key: split, setting or split_setting, "
                                      "normalised ('val', 'unstated_zero-shot'); the leaderboard "
                                      "page's ?p= value")
    protocol_label: str = Field(description="the protocol as the page names it ('val · CoT')")
    main_protocol: bool = Field(description="true for the protocol the leaderboard shows first")
    rank: int = Field(ge=1, description="1 = best; one standing per model (its best score under "
                                        "the protocol); equal scores share a rank, the next skips")
    entries: int = Field(ge=1, description="how many models that protocol's leaderboard ranks")
    score: float = Field(description="as the source prints it, on `printed_scale` if given")
    normalized: float = Field(description="the score on the benchmark's own scale (ranked by)")
    variant: str | None
    source: str


class ModelDocument(ModelRecord):
    """The full record, plus facts derived from it and from the rest of the catalogue."""
    model_config = ConfigDict(extra="forbid", title="ModelDocument")
    schema_version: Literal[1] = Version
    url: str = Field(description="the model's page, relative to the site root")
    io_category: str = Field(description="the survey's I->O notation of io.input and io.output")
    families: list[ComponentFamily] = Field(
        description="family of each encoder, LLM and generator the record names")
    ranks: list[Rank] = Field(description="per benchmark the model has scores on")
    bibtex_key: str
    bibtex: str = Field(description="the BibTeX entry of the model's paper (or of the model)")


# -- api/v1/models.json ----------------------------------------------------------------------

class Families(Doc):
    encoder: list[str]
    llm: list[str]
    generator: list[str]


class ModelSummary(Doc):
    id: str
    name: str
    aliases: list[str]
    former_ids: list[str] = Field(description="ids the record had before; their pages redirect")
    date: str = Field(description="first public release, YYYY-MM-DD")
    added: str = Field(description="the day the record entered the catalogue, YYYY-MM-DD")
    io_category: str
    input: list[str]
    output: list[str]
    functional: list[str]
    design: str
    organizations: list[str]
    arxiv: str | None
    paper_title: str | None
    open_weights: bool | None
    families: Families = Field(description="the distinct families of its components, per kind")
    results: int = Field(ge=0, description="how many benchmark scores the record holds")
    benchmarks: list[str] = Field(description="keys of the benchmarks it has scores on")
    url: str = Link
    api: str = Field(description="its full document (models/<id>.json), relative to the site root")


class ModelsFile(Doc):
    schema_version: Literal[1] = Version
    count: int = Field(ge=0)
    models: list[ModelSummary]


# -- api/v1/benchmarks.json, datasets.json, surveys.json, components.json ---------------------

class BenchmarkEntry(BenchmarkRecord):
    model_config = ConfigDict(extra="forbid", title="BenchmarkEntry")
    url: str = Link
    results: int = Field(ge=0, description="how many scores the catalogue holds for it")
    models: int = Field(ge=0, description="how many model records have a score on it")


class BenchmarksFile(Doc):
    schema_version: Literal[1] = Version
    count: int = Field(ge=0)
    benchmarks: list[BenchmarkEntry]


class DatasetEntry(DatasetRecord):
    model_config = ConfigDict(extra="forbid", title="DatasetEntry")
    url: str = Link


class DatasetsFile(Doc):
    schema_version: Literal[1] = Version
    count: int = Field(ge=0)
    datasets: list[DatasetEntry]


class SurveysFile(Doc):
    schema_version: Literal[1] = Version
    count: int = Field(ge=0)
    surveys: list[SurveyRecord]


class ComponentItem(ComponentEntry):
    model_config = ConfigDict(extra="forbid", title="ComponentItem")
    kind: Literal["encoder", "llm", "generator"]
    url: str = Link
    models: list[str] = Field(description="ids of the model records that name it")


class ComponentsFile(Doc):
    schema_version: Literal[1] = Version
    count: int = Field(ge=0)
    components: list[ComponentItem]


# -- api/v1/results.json -----------------------------------------------------------------------

class ResultRow(Doc):
    """One reported score (the same fields as the columns of results.csv)."""
    model_id: str
    model: str
    reported_as: str | None
    variant: str | None
    llm: str | None
    benchmark: str
    split: str | None
    setting: str | None
    metric: str | None
    score: float
    printed: str
    printed_scale: float | None
    normalized: float
    source: str
    source_kind: str
    note: str | None


class ResultsFile(Doc):
    schema_version: Literal[1] = Version
    count: int = Field(ge=0)
    fields: list[str] = Field(description="the fields of each result, in the CSV's column order")
    results: list[ResultRow]


# -- api/v1/leaderboards/<key>.json ------------------------------------------------------------

class LeaderboardRow(Doc):
    """One model under one protocol: its best score there and its place."""
    protocol: str = Field(description="the protocol key (split, setting or split_setting, "
                                      "normalised), the leaderboard page's ?p= value")
    protocol_label: str
    main_protocol: bool = Field(description="true for the protocol the page shows first")
    rank: int = Field(ge=1, description="competition ranking: equal scores share a rank, the "
                                        "next one skips (1, 2, 2, 4)")
    entries: int = Field(ge=1, description="how many models that protocol ranks")
    model: str = Field(description="the model's id")
    model_name: str
    score: float = Field(description="as the source prints it, on `printed_scale` if given")
    normalized: float = Field(description="on the benchmark's own scale (ranked by)")
    printed_scale: float | None
    variant: str | None
    reported_as: str | None
    size_b: float | None = Field(description="parameters in billions (see size_basis)")
    active_b: float | None = Field(description="active parameters in billions, mixture of experts")
    size_basis: Literal["variant", "name", "LLM"] | None = Field(
        description="variant: the record variant's params; name: printed in the variant's name; "
                    "LLM: printed in its LLM's")
    other_scores: int = Field(ge=0, description="the model's further scores under this protocol")
    source: str
    source_kind: str


class LeaderboardFile(Doc):
    schema_version: Literal[1] = Version
    benchmark: str
    fields: list[str] = Field(description="the fields of each row, in the CSV's column order")
    count: int = Field(ge=0)
    rows: list[LeaderboardRow] = Field(description="protocol by protocol (the main one first), "
                                                   "best first")


# -- api/v1/index.json -------------------------------------------------------------------------

class Counts(Doc):
    models: int = Field(ge=0)
    benchmarks: int = Field(ge=0)
    components: int = Field(ge=0)
    datasets: int = Field(ge=0)
    surveys: int = Field(ge=0)
    results: int = Field(ge=0)


class IndexLinks(Doc):
    models: str = Link
    model: str = Field(description="the path of one model's document; replace {id}")
    benchmarks: str = Link
    components: str = Link
    datasets: str = Link
    surveys: str = Link
    results_json: str = Link
    results_csv: str = Link
    leaderboard: str = Field(description="one benchmark's leaderboards (.json, also .csv); "
                                          "replace {key} with the benchmark key in lower case")
    bibtex: str = Link
    schemas: dict[str, str] = Field(description="file or record kind -> its JSON Schema")
    documentation: str = Link


class IndexFile(Doc):
    schema_version: Literal[1] = Version
    built_at: str | None = Field(None, description="when the site was built (RFC 3339, UTC; "
                                                   "SOURCE_DATE_EPOCH when set)")
    license: str
    counts: Counts
    links: IndexLinks


# API file -> the schema it follows, published as api/v1/schemas/api-<name>.schema.json beside
# the record kinds' <kind>.schema.json
API_FILES: dict[str, tuple[type[BaseModel], str]] = {
    "index.json": (IndexFile, "API v1 index (api/v1/index.json)"),
    "models.json": (ModelsFile, "API v1 model summaries (api/v1/models.json)"),
    "models/<id>.json": (ModelDocument, "API v1 model document (api/v1/models/<id>.json)"),
    "benchmarks.json": (BenchmarksFile, "API v1 benchmarks (api/v1/benchmarks.json)"),
    "components.json": (ComponentsFile, "API v1 components (api/v1/components.json)"),
    "datasets.json": (DatasetsFile, "API v1 datasets (api/v1/datasets.json)"),
    "surveys.json": (SurveysFile, "API v1 surveys (api/v1/surveys.json)"),
    "results.json": (ResultsFile, "API v1 results (api/v1/results.json)"),
    "leaderboards/<key>.json": (LeaderboardFile, "API v1 leaderboard (api/v1/leaderboards/<key>.json)"),
}


def titled_schema(cls: type[BaseModel], title: str) -> dict:
    doc = cls.model_json_schema(schema_generator=JsonSchema)
    doc["$schema"] = DRAFT
    doc["title"] = f"MM-LLMs Atlas {title}"
    return doc


def schema_text(doc: dict) -> str:
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


@cache
def record_schema_texts() -> dict[str, str]:
    """Record kind -> its JSON Schema, as committed under schema/ and published under
    api/v1/schemas/<kind>.schema.json."""
    return {kind: schema_text(titled_schema(cls, title)) for kind, (cls, title) in RECORD_KINDS.items()}


def api_schema_name(api_file: str) -> str:
    """'models/<id>.json' -> 'api-model-document', 'leaderboards/<key>.json' ->
    'api-leaderboard', 'results.json' -> 'api-results'."""
    named = {"models/<id>.json": "api-model-document", "leaderboards/<key>.json": "api-leaderboard"}
    return named.get(api_file) or "api-" + api_file.removesuffix(".json")


@cache
def api_schema_texts() -> dict[str, str]:
    """API file -> its JSON Schema (api/v1/schemas/<api_schema_name>.schema.json)."""
    return {name: schema_text(titled_schema(cls, title)) for name, (cls, title) in API_FILES.items()}
