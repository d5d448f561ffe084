"""Textual CSS for the workbench TUI, shipped inside the wheel as ``workbench.styles``."""
