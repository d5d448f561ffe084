"""Textual CSS for the workbench TUI (``workbench.styles``), shipped inside the wheel as package data."""
