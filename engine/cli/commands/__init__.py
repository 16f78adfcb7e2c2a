"""One module per CLI command; see engine/cli/main.py."""
