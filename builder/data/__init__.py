"""Data derived from validated records: no HTML, no MkDocs, no network.

families (component families), trees (the taxonomy trees), scores (benchmark rows, ranks,
leaderboards, best scores), stats (coverage), activity (repository facts from `mmllm sync`'s
meta files), repos (repository URL parsing), exports (api/ JSON and CSV). Pages, commands and
the MkDocs glue all read these; nothing here imports from them.
"""
