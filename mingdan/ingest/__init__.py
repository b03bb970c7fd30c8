"""Importing lists: read any layout, validate everything, then write in one transaction."""
