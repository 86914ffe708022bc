"""Hostile input: records arrive by pull request from anyone.

Record text never becomes markup or script, links are http(s) only, ids cannot leave their
folder, and YAML bombs, deep nesting, huge files and binary junk are rejected quickly with
bounded memory. Nothing in a record is ever executed.
"""
from __future__ import annotations

import html
import json
import re
import sys
import time
import tracemalloc
from html.parser import HTMLParser
from pathlib import Path

import pytest
from markupsafe import escape as html_escape

from builder.pages.kit import SiteContext, front_matter
from builder.pages.model import model_page
from builder.pages.site import site_pages
from conftest import FIXTURES, mmllm, run
from schema import load_catalogue
from schema.loader import MAX_BYTES, MAX_DEPTH, Problem, read_file

LLAVA = (FIXTURES / "catalogue" / "models" / "llava.yaml").read_text(encoding="utf-8")


def write(folder: Path, name: str, data: str | bytes) -> Path:
    path = folder / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def problems_of(path: Path) -> list[str]:
    cat = load_catalogue(path.parent, [path])
    assert not cat.ok and not cat.models
    return [str(p) for p in cat.problems]


# -- links ---------------------------------------------------------------------------------

BAD_URLS = ["javascript:alert(1)", "JavaScript:alert(1)", " javascript:alert(1)",
            "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==", "vbscript:msgbox(1)",
            "file:///etc/passwd", "ftp://example.org/x", "//evil.example/x", "mailto:a@b.org",
            'https://example.org/" onmouseover="alert(1)', "https://example.org/<script>",
            "https://exa mple.org/"]
PLACES = {  # where a URL can sit in a record: (text to replace, replacement with {url})
    "links.project": ("  project: https://llava-vl.github.io\n", "  project: '{url}'\n"),
    "paper.url": ("  url: https://arxiv.org/abs/2304.08485\n", "  url: '{url}'\n"),
    "sources.0.url": ("- url: https://mm-llms.github.io\n", "- url: '{url}'\n"),
    "architecture.source": ("  source: https://arxiv.org/abs/2401.13601\n", "  source: '{url}'\n"),
}


@pytest.mark.parametrize("url", BAD_URLS)
@pytest.mark.parametrize("place", list(PLACES))
def test_only_http_links_are_accepted(tmp_path: Path, place: str, url: str):
    old, new = PLACES[place]
    assert old in LLAVA
    path = write(tmp_path, "llava.yaml", LLAVA.replace(old, new.format(url=url.replace("'", "''")), 1))
    found = problems_of(path)
    assert any(f": {place}: " in p and "is not a http(s) URL" in p for p in found), found


# -- ids and paths ---------------------------------------------------------------------------

@pytest.mark.parametrize("bad_id", ["../../etc/passwd", "..", "a/b", "a\\b", "/abs", "~root",
                                    "x.yaml", "%2e%2e", "LLaVA", "-x", "a" * 81, ""])
def test_ids_cannot_escape_their_folder(tmp_path: Path, bad_id: str):
    path = write(tmp_path, "llava.yaml", LLAVA.replace("id: llava\n", f"id: '{bad_id}'\n"))
    found = problems_of(path)
    assert any(":2:1: id: " in p for p in found), found


def test_page_paths_of_models_come_only_from_valid_ids():
    cat = load_catalogue(FIXTURES / "catalogue")
    pages = site_pages(cat, SiteContext())
    model_pages = [p for p in pages if p.startswith("models/")]
    assert len(model_pages) >= len(cat.models)
    for path in model_pages:
        assert re.fullmatch(r"models/[a-z0-9][a-z0-9-]*\.md", path), path
    for path in pages:
        assert ".." not in path and not path.startswith("/") and "\\" not in path, path


# -- YAML bombs, nesting, size, binary junk ------------------------------------------------

def bounded(fn, *, seconds: float = 1.0, peak_bytes: int = 20_000_000):
    """Run fn() and check it was quick and allocated little."""
    tracemalloc.start()
    start = time.perf_counter()
    try:
        result = fn()
    finally:
        elapsed = time.perf_counter() - start
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    assert elapsed < seconds, f"took {elapsed:.2f}s"
    assert peak < peak_bytes, f"peak {peak:,} bytes"
    return result


def test_billion_laughs_is_rejected_at_the_first_anchor(tmp_path: Path):
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 10):
        prev, cur = chr(ord("a") + i - 1), chr(ord("a") + i)
        lines.append(f"{cur}: &{cur} [{', '.join(['*' + prev] * 9)}]")
    path = write(tmp_path, "bomb.yaml", "\n".join(lines) + "\n")
    problem = bounded(lambda: read_file(path), peak_bytes=2_000_000)
    assert (problem.line, problem.column) == (1, 4)
    assert "anchors and aliases (&, *) are not allowed" in problem.message


def test_merge_keys_and_aliases_are_rejected(tmp_path: Path):
    path = write(tmp_path, "merge.yaml", "base: &b {x: 1}\nother:\n  <<: *b\n")
    assert "anchors and aliases" in read_file(path).message


@pytest.mark.parametrize("style", ["flow", "block"])
def test_nesting_beyond_the_limit_is_rejected_with_our_message(tmp_path: Path, style: str):
    depth = MAX_DEPTH + 6
    if style == "flow":
        text = "id: x\nname: " + "[" * depth + "]" * depth + "\n"
    else:
        text = "id: x\nname:\n" + "".join(" " * (2 * i) + "-\n" for i in range(1, depth))
    problem = read_file(write(tmp_path, "deep.yaml", text))
    assert problem.path.endswith("deep.yaml") and problem.line >= 2
    assert problem.message == f"nested deeper than {MAX_DEPTH} levels"


@pytest.mark.parametrize("style", ["flow", "block"])
def test_ten_thousand_levels_of_nesting_are_rejected_quickly(tmp_path: Path, style: str):
    if style == "flow":
        text = "id: x\nname: " + "[" * 10_000 + "]" * 10_000 + "\n"
    else:  # block style: as deep as fits in the size limit
        text = "id: x\nname:\n" + "".join(" " * (2 * i) + "-\n" for i in range(1, 900))
    path = write(tmp_path, "deep.yaml", text)
    problem = bounded(lambda: read_file(path), peak_bytes=5_000_000)
    # The guarantee, not one library's wording: libyaml's scanner reads ahead through flow
    # brackets, so a libyaml with its own depth limit (PyYAML >= 6.0.3's) refuses the file
    # before our limit is reached ("exceeded maximum nesting depth"); older ones reach ours.
    assert isinstance(problem, Problem) and problem.path == str(path) and problem.line >= 2
    assert re.search(r"\bnest(ed|ing)\b", problem.message), problem.message


def test_huge_file_is_rejected_without_reading_it(tmp_path: Path):
    path = write(tmp_path, "huge.yaml", b"id: x\nname: " + b"x" * 1_500_000 + b"\n")
    problem = bounded(lambda: read_file(path), seconds=0.1, peak_bytes=100_000)
    assert problem.message == f"file is 1,500,013 bytes; records are at most {MAX_BYTES:,}"


def test_file_just_under_the_limit_is_handled_in_bounded_time(tmp_path: Path):
    items = "".join(f"- item {i}\n" for i in range(75_000))
    text = "id: x\naliases:\n" + items
    assert len(text.encode()) < MAX_BYTES
    path = write(tmp_path, "x.yaml", text)
    cat = bounded(lambda: load_catalogue(tmp_path, [path]), seconds=10, peak_bytes=200_000_000)
    assert not cat.ok


@pytest.mark.parametrize("data, expected", [
    (b"id: x\nname: a\x00b\n", "2:1: NUL byte: this is not a text file"),
    (b"id: x\nname: Caf\xe9\n", "2:1: not UTF-8 text; save the file as UTF-8"),
    (b"\xff\xfe" + "id: x\n".encode("utf-16-le"), "1:1: NUL byte"),
    (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "3:1: NUL byte"),
    (b"\x7fELF\x02\x01\x01" + b"\x00" * 64, "1:1: NUL byte"),
    (b"id: x\nname: \xed\xa0\x80\n", "2:1: not UTF-8"),  # a lone surrogate
    (b"", "1:1: a record is a YAML mapping"),
    (b"\xef\xbb\xbf", "1:1: a record is a YAML mapping"),
], ids=["nul", "latin-1", "utf-16", "png", "elf", "surrogate", "empty", "bom-only"])
def test_binary_junk_is_rejected(tmp_path: Path, data: bytes, expected: str):
    path = write(tmp_path, "junk.yaml", data)
    problem = bounded(lambda: read_file(path, "junk.yaml"), seconds=0.2)
    assert str(problem).startswith(f"junk.yaml:{expected}"), str(problem)


def test_validate_survives_a_folder_of_junk_without_traceback(tmp_path: Path):
    write(tmp_path, "nul.yaml", b"id: x\x00\n")
    write(tmp_path, "latin.yaml", b"name: \xe9\n")
    write(tmp_path, "huge.yaml", b"#" * (MAX_BYTES + 1))
    write(tmp_path, "deep.yaml", "a: " + "{b: " * 5000 + "c" + "}" * 5000 + "\n")
    write(tmp_path, "bomb.yaml", "a: &a [1]\nb: [*a, *a]\n")
    write(tmp_path, "exec.yaml", "id: !!python/object/apply:os.system ['echo pwned']\n")
    proc = mmllm("--root", str(tmp_path), "validate", str(tmp_path), cwd=tmp_path)
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr and "pwned" not in proc.stdout + proc.stderr
    assert proc.stderr.strip().endswith("6 problem(s) in 6 file(s)")


# -- nothing is executed ----------------------------------------------------------------------

@pytest.mark.parametrize("payload", [
    "!!python/object/apply:os.system ['touch {marker}']",
    "!!python/object/new:subprocess.check_output [['touch', '{marker}']]",
    "!!python/name:os.system",
    "!<tag:yaml.org,2002:python/object/apply:os.system> ['touch {marker}']",
])
def test_yaml_tags_never_construct_objects(tmp_path: Path, payload: str):
    marker = tmp_path / "pwned"
    path = write(tmp_path, "x.yaml", "id: x\nname: " + payload.format(marker=marker) + "\n")
    problem = read_file(path)
    assert "tags such as" in problem.message and "are not allowed" in problem.message
    assert not marker.exists()


@pytest.mark.parametrize("text", ['a "b" \\ c: #d', "x\x85y\u2028z\u2029\x9f\ufffe", "É 中文 🙂 \t",
                                  "- & * ! % @ ` ' {} []", "---", "null", "true", "12", "~",
                                  "<script>alert(1)</script>"])
def test_front_matter_reads_back_as_the_escaped_text(text: str):
    """Titles and descriptions reach MkDocs through YAML front matter: whatever a record
    holds, MkDocs reads back exactly the HTML-escaped text, and the page body is untouched."""
    from mkdocs.utils.meta import get_data
    body, meta = get_data(front_matter(text, text, hide=("toc",)) + "# body\n")
    assert meta["title"] == meta["description"] == str(html_escape(text))
    assert body == "# body\n" and meta["hide"] == ["toc"]


def test_a_name_with_markdown_punctuation_renders_as_written():
    import markdown
    from builder.pages.kit import md
    name = "A|B ~x~ *y* [z](u) `c` #1 <i> 1. x_y \\ {: #id } !"
    out = markdown.Markdown(extensions=["attr_list", "md_in_html", "toc"]).convert(f"# {md(name)}")
    assert html.unescape(re.sub(r"<[^>]+>", "", out)) == name


def test_template_syntax_in_records_is_not_evaluated():
    cat = load_catalogue(FIXTURES / "catalogue")
    llava = next(m for m in cat.models if m.id == "llava")
    evil = llava.model_copy(update={"name": "{{ 7*7 }} {% raw %}x{% endraw %} ${7*7}",
                                    "venue": "{{ config.__class__ }}"})
    page = model_page(evil, "models/llava.yaml")
    assert "49" not in page
    assert "{{ config.__class__ }}" in page and "\\{\\{ 7\\*7 \\}\\}" in page


# -- a real build with hostile text -----------------------------------------------------------

class ParsedElements(HTMLParser):
    """Every tag, attribute and script body of a page, as an HTML parser reads them."""

    def __init__(self):
        super().__init__()
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str, str]] = []
        self.scripts: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs.extend((tag, name, value or "") for name, value in attrs)

    def handle_data(self, data):
        if self.lasttag == "script":
            self.scripts.append(data)


def test_hostile_text_is_shown_as_text_in_the_built_site(project: Path):
    record = project / "models" / "llava.yaml"
    text = record.read_text(encoding="utf-8")
    evil_name = "LLaVA <script>alert(1)</script> javascript:alert(2) {: onclick=\"alert(3)\" }"
    text = text.replace("name: LLaVA\n", f"name: '{evil_name}'\n", 1)
    text = text.replace("- Columbia University\n",
                        "- '<a href=\"javascript:alert(4)\">Columbia</a>'\n", 1)
    text = text.replace("  note: the model's paper\n",
                        "  note: '[click](javascript:alert(5)) <script>alert(6)</script> "
                        "<iframe src=\"javascript:alert(7)\"></iframe> &lt;b&gt;'\n", 1)
    text = text.replace("    name: CLIP ViT-L/14\n",
                        "    name: CLIP ViT-L/14\n    note: '</li></ul><script>alert(8)</script>'\n", 1)
    text = text.replace("  title: Visual Instruction Tuning\n",
                        "  title: '\"><svg onload=alert(9)> `code` **bold**'\n", 1)
    text = re.sub(r"(?m)^license_note:.*\n(?:  .*\n)*", "", text)  # the record's own, replaced below
    text += ("license_note: '<img src=x onerror=alert(10)> licence'\n"
             "sizes_note: '<script>alert(11)</script> sizes'\n")
    record.write_text(text, encoding="utf-8")
    assert mmllm("validate", cwd=project).returncode == 0

    out = project / "out"
    proc = run(sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out), cwd=project)
    assert proc.returncode == 0, proc.stderr
    pages = {p: (out / p).read_text(encoding="utf-8")
             for p in ["models/llava/index.html", "models/index.html", "taxonomy/index.html"]}
    for name, body in pages.items():
        elements = ParsedElements()
        elements.feed(body)  # as a browser reads the page: tags, attributes, script text
        assert {"script", "iframe", "svg"} & set(elements.tags), name  # the parser sees tags
        assert not [t for t in elements.tags if t in ("iframe", "object", "embed")], name
        assert not [s for s in elements.scripts if "alert(" in s], name
        for tag, attr, value in elements.attrs:
            assert not (attr.startswith("on") and "alert" in value), (name, tag, attr, value)
            assert not (attr in ("href", "src") and value.strip().lower().startswith("javascript:")), \
                (name, tag, attr, value)
    # the search index shows titles and texts as HTML: record text is escaped there too
    index = json.loads((out / "search" / "search_index.json").read_text(encoding="utf-8"))
    entry = next(d for d in index["docs"] if d["location"] == "models/llava/")
    assert "&lt;script&gt;alert(1)" in entry["title"] and "<script" not in entry["title"]
    assert "&lt;svg onload=alert(9)&gt;" in entry["text"] and "<svg" not in entry["text"]
    page = pages["models/llava/index.html"]
    shown = html.unescape(re.sub(r"<[^>]+>", "", page))
    # the visible text says exactly what the record says
    assert "LLaVA <script>alert(1)</script> javascript:alert(2) {: onclick=\"alert(3)\" }" in shown
    assert "[click](javascript:alert(5)) <script>alert(6)</script>" in shown
    assert "&lt;b&gt;" in shown  # entities in records stay literal text too
    assert "</li></ul><script>alert(8)</script>" in shown
    assert "\"><svg onload=alert(9)> `code` **bold**" in shown
    assert "<img src=x onerror=alert(10)> licence" in shown
    assert "<script>alert(11)</script> sizes" in shown
    assert "<strong>bold</strong>" not in page and "<code>code</code>" not in page
    assert "<title>LLaVA &lt;script&gt;" in page
    index = pages["models/index.html"]
    assert "LLaVA &lt;script&gt;alert(1)&lt;/script&gt;" in index


# -- the loader reads plain values exactly as yaml.safe_load would -----------------------------

PLAIN = ["text", "CLIP ViT-L/14", "7B", "0.6M", "336", "-3", "+1", "0x1F", "0o17", "1_000", "1.5",
         ".5", "1e3", "6.02e+23", ".inf", "-.Inf", ".nan", "true", "False", "yes", "No", "on", "OFF",
         "y", "n", "~", "null", "Null", "", "2023-04-17", "2023-04-17 10:00:00", "2023-4-7",
         "2304.08485", "1:30", "190:20:30", "null-ish", "trueish", "n/a", "Yes please", "=x"]


@pytest.mark.parametrize("value", PLAIN)
def test_plain_scalars_read_like_safe_load(value: str):
    from schema.loader import parse_text
    import yaml
    text = f"k: {value}\n"
    assert parse_text(text).data == yaml.safe_load(text)


def test_reading_many_files_keeps_no_state():
    from schema.loader import _constructor, parse_text
    for i in range(200):
        parse_text(f"a: {i}\nb: 2023-04-17\nc: true\nd: 1.5\n")
    assert not _constructor.constructed_objects
