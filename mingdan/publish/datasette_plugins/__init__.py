"""Plugins `mingdan serve-public` gives Datasette (loaded by it from this folder, never imported by mingdan)."""
