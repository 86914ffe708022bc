"""Commands other than building the site, run through builder/cli.py: fmt (records in
canonical form) and links (check-links). The tracking commands sync, discover and new are in
builder/tracking/."""
