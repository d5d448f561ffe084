"""The panes of the main screen: each owns its widgets, state, keys and workers.

The main screen (``screens/main.py``) composes them and routes intents between them; a pane reaches
the rest of the screen only through :class:`~workbench.tui.panes.base.Host`.
"""
