"""The import graph of schema/ and builder/, read from the source (ast), follows the data flow.

Records -> schema -> builder.data (derived data, no HTML) -> builder.pages (kit, page
families, site assembly) -> MkDocs glue and commands -> the `mmllm` CLI. A module may import
only from its own layer or below; there is no import cycle; no project import hides inside a
function (only the CLI defers its subcommands' imports); page and data code never reaches
network code (builder.tracking, httpx).
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("schema", "builder")
# lowest first; "x.*" is x and everything in it; a module's most specific pattern decides
LAYERS = [
    ("schema.*",),
    ("builder.data.*",),
    ("builder.pages", "builder.pages.kit"),  # the rendering kit
    ("builder.pages.*",),  # the page families and their helpers
    ("builder.pages.site",),  # the site assembly
    ("builder.mkdocs_glue.*", "builder.commands.*", "builder.tracking.*"),
    ("builder.cli",),
]
DEFERRED_ALLOWED = {"builder.cli"}  # lazy subcommand imports keep `mmllm --help` fast
NETWORK = ("builder.tracking", "httpx")
PURE = ("builder.data", "builder.pages")  # may not reach NETWORK, even indirectly


def module_name(path: Path, root: Path = ROOT) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def project_modules(root: Path = ROOT) -> dict[str, Path]:
    return {module_name(p, root): p for pkg in PACKAGES for p in sorted((root / pkg).rglob("*.py"))}


FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)


def imports_of(name: str, path: Path, known: set[str]):
    """(imported module, line, deferred) for every import in the file; `deferred` when the
    import statement sits inside a function."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    out = []

    def visit(node, in_function: bool):
        for child in ast.iter_child_nodes(node):
            inner = in_function or isinstance(child, FUNCTIONS)
            if isinstance(child, ast.Import):
                out.extend((alias.name, child.lineno, in_function) for alias in child.names)
            elif isinstance(child, ast.ImportFrom):
                base = child.module or ""
                if child.level:
                    anchor = package.split(".")[: len(package.split(".")) - child.level + 1]
                    base = ".".join(anchor + ([base] if base else []))
                for alias in child.names:  # `from pkg import module` imports the module
                    sub = f"{base}.{alias.name}"
                    out.append((sub if sub in known else base, child.lineno, in_function))
            visit(child, inner)

    visit(tree, False)
    return out


def graph(root: Path = ROOT):
    modules = project_modules(root)
    known = set(modules)
    edges: dict[str, set[str]] = {m: set() for m in modules}
    deferred, external = [], {m: set() for m in modules}
    for name, path in modules.items():
        for target, line, in_function in imports_of(name, path, known):
            if target.split(".")[0] in PACKAGES:
                # `import builder.tracking.net` also runs the packages above it
                while target not in known and "." in target:
                    target = target.rpartition(".")[0]
                if target in known and target != name:
                    edges[name].add(target)
                if in_function:
                    deferred.append(f"{path.relative_to(root)}:{line}: {target}")
            else:
                external[name].add(target)
    return edges, deferred, external


def layer(name: str) -> int:
    matches = []
    for rank, patterns in enumerate(LAYERS):
        for pattern in patterns:
            base = pattern.removesuffix(".*")
            wildcard = pattern.endswith(".*")
            if name == pattern or (wildcard and (name == base or name.startswith(base + "."))):
                matches.append((pattern == name, len(base), rank))
    assert matches, f"{name} belongs to no layer; add it to LAYERS"
    return max(matches)[2]


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Every strongly connected component with more than one module (Tarjan)."""
    index, low, stack, on_stack, out = {}, {}, [], set(), []

    def strong(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(edges[v]):
            if w not in index:
                strong(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                out.append(sorted(component))

    for v in sorted(edges):
        if v not in index:
            strong(v)
    return out


def reach(edges: dict[str, set[str]], start: str) -> set[str]:
    seen, todo = set(), [start]
    while todo:
        for w in edges[todo.pop()]:
            if w not in seen:
                seen.add(w)
                todo.append(w)
    return seen


@pytest.fixture(scope="module")
def import_graph():
    return graph()


def test_no_import_cycle(import_graph):
    edges, _, _ = import_graph
    assert cycles(edges) == []


def test_no_project_import_inside_a_function_outside_the_cli(import_graph):
    _, deferred, _ = import_graph
    allowed = tuple(f"{m.replace('.', '/')}.py:" for m in DEFERRED_ALLOWED)
    assert [d for d in deferred if not d.startswith(allowed)] == []


def test_no_module_imports_from_a_layer_above_it(import_graph):
    edges, _, _ = import_graph
    upward = [f"{a} (layer {layer(a)}) imports {b} (layer {layer(b)})"
              for a in sorted(edges) for b in sorted(edges[a]) if layer(b) > layer(a)]
    assert upward == []


def test_page_and_data_code_reach_no_network_code(import_graph):
    edges, _, external = import_graph
    bad = []
    for name in sorted(edges):
        if name.startswith(PURE):
            reached = reach(edges, name) | {name}
            bad += [f"{name} reaches {m}" for m in sorted(reached) if m.startswith(NETWORK)]
            bad += [f"{name} reaches {m} -> {x}" for m in sorted(reached)
                    for x in sorted(external[m]) if x.split(".")[0] in NETWORK]
    assert bad == []


def test_the_checks_see_what_they_check(tmp_path):
    """The graph reader finds a cycle, a deferred import and network reach in a made-up tree."""
    for rel, text in {
        "schema/__init__.py": "",
        "schema/a.py": "from .b import x\n",
        "schema/b.py": "def f():\n    from schema import a\n",
        "builder/pages/__init__.py": "",
        "builder/pages/kit.py": "import httpx\nfrom ..tracking import net\n",
        "builder/tracking/__init__.py": "",
        "builder/tracking/net.py": "import httpx\n",
    }.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text, encoding="utf-8")
    edges, deferred, external = graph(tmp_path)
    assert cycles(edges) == [["schema.a", "schema.b"]]
    assert deferred == ["schema/b.py:2: schema.a"]
    assert edges["builder.pages.kit"] == {"builder.tracking.net"}
    assert "httpx" in external["builder.pages.kit"]
    assert layer("builder.pages.kit") < layer("builder.pages.model") < layer("builder.pages.site")
