"""The command line: `main` discovers one module per command under `commands/` and dispatches."""
