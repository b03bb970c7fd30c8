"""Linking records into people: Splink on DuckDB with Chinese-aware names, review decisions, stable ids."""
