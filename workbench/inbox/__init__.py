"""The proposal inbox: proposals from agents outside the workbench (``workbench mcp``), kept on disk
until a person approves or rejects them in the TUI or with ``workbench proposals``."""
