"""Machine tracking of the catalogue: arXiv and GitHub facts (`mmllm sync`), new-paper
discovery (`mmllm discover`) and record scaffolding (`mmllm new`).

Everything fetched is written to generated files under `models/_meta/`, apart from the
hand-written records, which this package never rewrites. All network access goes through
`builder.tracking.net`, so tests replace the transport with `httpx.MockTransport`.
"""
