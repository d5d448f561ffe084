"""Confluence Workbench: a keyboard-driven terminal workbench for Atlassian Confluence."""

__version__ = "0.1.0"
