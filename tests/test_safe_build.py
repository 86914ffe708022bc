"""`mmllm build` replaces public/ only when the new build succeeded."""
from __future__ import annotations

from pathlib import Path

from conftest import mmllm


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_failed_build_leaves_the_last_good_site_intact(project: Path):
    first = mmllm("build", cwd=project)
    assert first.returncode == 0, first.stderr
    public = project / "public"
    assert (public / "models" / "llava" / "index.html").is_file()
    (public / "marker.txt").write_text("last good site", encoding="utf-8")
    before = snapshot(public)

    # 1. an invalid record: stopped by validation, before MkDocs runs
    record = project / "models" / "llava.yaml"
    good = record.read_text(encoding="utf-8")
    record.write_text(good.replace("design: end-to-end", "design: end2end"), encoding="utf-8")
    proc = mmllm("build", cwd=project)
    assert proc.returncode == 1
    assert "models/llava.yaml:" in proc.stderr and "design: 'end2end'" in proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout
    assert snapshot(public) == before

    # 2. valid records but MkDocs fails (a broken link under --strict): the temporary build is
    #    thrown away and public/ is untouched
    record.write_text(good, encoding="utf-8")
    (project / "site" / "broken.md").write_text("# Broken\n\n[gone](missing-page.md)\n",
                                                encoding="utf-8")
    proc = mmllm("build", cwd=project)
    assert proc.returncode != 0
    assert "previous site was left as it was" in proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout
    assert snapshot(public) == before
    assert not list(project.glob(".build-*")) and not (project / "public.old").exists()

    # 3. fixed: the new site replaces the old one completely
    (project / "site" / "broken.md").unlink()
    proc = mmllm("build", cwd=project)
    assert proc.returncode == 0, proc.stderr
    assert not (public / "marker.txt").exists()
    assert (public / "models" / "llava" / "index.html").is_file()
    assert not list(project.glob(".build-*")) and not (project / "public.old").exists()
