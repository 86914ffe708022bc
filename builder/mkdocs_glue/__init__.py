"""The thin MkDocs glue: hooks.py (loaded by mkdocs.yml) hands MkDocs the pages of
builder.pages.site in memory; rawblocks.py keeps generated HTML away from Markdown; search.py
adds generated pages to Material's search index."""
