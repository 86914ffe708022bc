"""`mmllm fmt`: schema key order, stable style, comments kept or refused, --check diff."""
from pathlib import Path

from builder.commands import fmt
from builder.cli import main

ROOT = Path(__file__).resolve().parents[1]

SHUFFLED = """\
# yaml-language-server: $schema=../schema/model.schema.json
sources:
  - kind: paper
    url: https://arxiv.org/abs/2304.08485
design: end-to-end
functional: [understanding]
io: {output: [text], input: [image, text]}
added: 2026-11-29
date: 2023-04-17
name: Demo
id: demo
paper: {arxiv: '2304.08485', title: Visual Instruction Tuning}
architecture:
  llm_backbone:
    - sizes: [7B]
      name: Vicuna
  modality_encoder: none
"""

EXPECTED = """\
# yaml-language-server: $schema=../schema/model.schema.json
id: demo
name: Demo
date: '2023-04-17'
added: '2026-11-29'
paper:
  title: Visual Instruction Tuning
  arxiv: '2304.08485'
io:
  input:
  - image
  - text
  output:
  - text
functional:
- understanding
design: end-to-end
architecture:
  modality_encoder: none
  llm_backbone:
  - name: Vicuna
    sizes:
    - 7B
sources:
- url: https://arxiv.org/abs/2304.08485
  kind: paper
"""


def test_orders_keys_like_the_schema_and_keeps_the_modeline():
    result = fmt.format_text(SHUFFLED, "models/demo.yaml")
    assert result.error is None
    assert result.formatted == EXPECTED
    assert fmt.format_text(EXPECTED).changed is False  # idempotent


def test_every_committed_record_is_normalised():
    for path in sorted((ROOT / "models").glob("*.yaml")):
        result = fmt.format_file(path)
        assert result.error is None and not result.changed, result.diff() or result.error


def test_unknown_keys_are_kept_after_known_ones():
    result = fmt.format_text("zzz: 1\nid: a\n")
    assert result.formatted == "id: a\nzzz: 1\n"


def test_non_ascii_text_is_kept_as_is():
    result = fmt.format_text("name: \"\U0001F9A9Flamingo – Madison\"\nid: x\n")
    assert result.formatted == "id: x\nname: \U0001F9A9Flamingo – Madison\n"


def test_inner_comment_is_refused_not_dropped():
    text = "id: a\n# why the date is odd\nname: A  # inline\n"
    result = fmt.format_text(text, "models/a.yaml")
    assert result.formatted is None
    assert result.error.startswith("models/a.yaml:2:1: comment(s) on line(s) 2, 3 would be lost")


def test_hash_inside_values_is_not_a_comment():
    text = "id: a\nname: 'C# #1'\nsources:\n- url: https://x.org/#frag\n"
    assert fmt.format_text(text).error is None


def test_unreadable_yaml_is_reported_with_position():
    result = fmt.format_text("# head\nid: a\nid: b\n", "m.yaml")
    assert result.error == "m.yaml:3:1: duplicate key 'id' (first on line 2)"


def test_check_prints_a_unified_diff_and_exits_1(tmp_path, capsys):
    (tmp_path / "models").mkdir()
    record = tmp_path / "models" / "demo.yaml"
    record.write_text(SHUFFLED, encoding="utf-8")
    assert main(["--root", str(tmp_path), "fmt", "--check"]) == 1
    out = capsys.readouterr().out
    assert out.startswith("--- a/models/demo.yaml\n+++ b/models/demo.yaml\n")
    assert "-id: demo\n" in out and "+id: demo\n" in out
    assert record.read_text(encoding="utf-8") == SHUFFLED  # --check changes nothing

    assert main(["--root", str(tmp_path), "fmt", str(record)]) == 0
    assert record.read_text(encoding="utf-8") == EXPECTED
    assert main(["--root", str(tmp_path), "fmt", "--check"]) == 0
    assert capsys.readouterr().out == ""


def test_line_endings_bom_and_trailing_spaces_are_normalised():
    text = "\ufeff# yaml-language-server: $schema=x.json  \r\n\r\nname: A   \r\nid: a\r\n"
    result = fmt.format_text(text)
    assert result.formatted == "# yaml-language-server: $schema=x.json\nid: a\nname: A\n"


def test_flow_style_and_odd_quoting_become_block_style():
    text = "id: \"a\"\nio: {input: ['image', \"text\"], output: [text]}\nfunctional: [understanding]\n"
    assert fmt.format_text(text).formatted == (
        "id: a\nio:\n  input:\n  - image\n  - text\n  output:\n  - text\nfunctional:\n- understanding\n")


def test_text_yaml_1_2_reads_otherwise_gets_quotes_and_nothing_else_does():
    text = ("id: a\nname: 0o17\naliases: [1e3, -.5, 0801, 0801 edition, 7B, 1_000 pairs]\n"
            "results:\n- benchmark: MMMU\n  variant: 0801\n  score: 80.0\n")
    assert fmt.format_text(text).formatted == (
        "id: a\nname: '0o17'\naliases:\n- '1e3'\n- '-.5'\n- '0801'\n- 0801 edition\n- 7B\n"
        "- 1_000 pairs\nresults:\n- benchmark: MMMU\n  variant: '0801'\n  score: 80.0\n")


def test_a_yes_no_value_or_number_yaml_1_2_reads_otherwise_is_left_to_a_person():
    for line, value, meant in [("open_weights: yes", "yes", "true"), ("score: 017", "017", "15"),
                               ("note: 1:20", "1:20", "80")]:
        result = fmt.format_text(f"id: a\n{line}\n", "models/a.yaml")
        assert result.formatted is None, line
        field = line.split(":")[0]
        assert result.error.startswith(f"models/a.yaml:2:{len(field) + 3}: {field}: {value} reads as "), \
            result.error
        assert f"put it in quotes: '{value}', or write {meant} if" in result.error
        assert result.error.endswith("(the file is left as it is)")


def test_a_model_record_without_the_editor_modeline_gets_it():
    result = fmt.format_text("name: A\nid: a\n", "models/a.yaml")
    assert result.formatted == "# yaml-language-server: $schema=../schema/model.schema.json\nid: a\nname: A\n"
    # elsewhere (another kind, or a string) nothing is added
    assert fmt.format_text("name: A\nid: a\n", "datasets/a.yaml").formatted == "id: a\nname: A\n"
