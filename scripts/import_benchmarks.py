"""One-off import of ../shared/reference/benchmarks.csv into schema/vocabularies/benchmarks.yaml.

Kept so the transcription can be re-run and reviewed; the YAML is the source of truth after.
"""
import csv
import re
import sys
from pathlib import Path

import yaml

SURVEY_TABLE2 = ["OKVQA", "IconVQA", "VQAv2", "GQA", "VizWiz", "SQA-I", "VQA-T", "POPE", "MME-P",
                 "MME-C", "MMB", "MMB-CN", "SEED-I", "LLaVA-W", "MM-Vet", "QBench", "HM", "VSR"]
SOURCE = "https://arxiv.org/abs/2401.13601"


def main(src: str, dest: str) -> None:
    out = []
    for row in csv.DictReader(open(src, encoding="utf-8")):
        lo, hi = re.match(r"(\d+)-(\d+)", row["scale"]).groups()
        entry = {
            "key": row["key"],
            "name": row["name"],
            "group": "survey-table-2" if row["key"] in SURVEY_TABLE2 else "newer",
            "task": row["task"],
            "metric": row["metric"],
            "scale": {"min": int(lo), "max": None if "exceed" in row["scale"] else int(hi)},
            "scale_note": row["scale"] if not re.fullmatch(r"\d+-\d+", row["scale"]) else None,
            "higher_is_better": row["higher_is_better"] == "yes",
            "arxiv": row["arxiv_id"] or None,
            "year": int(row["year"]) if row["year"] else None,
            "homepage": row["homepage"] or None,
        }
        out.append({k: v for k, v in entry.items() if v is not None})
    header = ("# Evaluation benchmarks: keys used in `results`, with metric, scale and direction.\n"
              "# Transcribed from the project's reference facts (benchmarks' papers and pages);\n"
              f"# the first 18 keys and their order are the survey's Table 2 ({SOURCE}).\n")
    Path(dest).write_text(header + yaml.safe_dump(out, sort_keys=False, allow_unicode=True), encoding="utf-8")


if __name__ == "__main__":
    main(*sys.argv[1:3])
