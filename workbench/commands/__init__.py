"""Subcommands of the ``workbench`` command line, one module per area (see ``workbench.cli``)."""
