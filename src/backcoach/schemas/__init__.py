"""The JSON shapes the app takes and gives, shared by `--json` output and the web API."""
