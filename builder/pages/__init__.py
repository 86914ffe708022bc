"""Page generation: records -> page sources (Markdown with HTML blocks, feeds), pure functions.

Three levels, each importing only from those below it (and from builder.data, schema):
- kit.py: the rendering kit: template environment, `render`, front matter, escaping
  filters, the labels templates print; templates/ holds the jinja2 templates.
- the page families: model.py (model pages, models index, taxonomy), catalogue.py
  (datasets, benchmarks, surveys, components, coverage), results.py (benchmark comparison,
  leaderboards, model results pages), views.py (home, timeline, trends, compare, with
  charts.py and compare.py), whats_new.py, feeds.py (Atom).
- site.py: the site assembly, `site_pages`, the only module that knows every family.
"""
