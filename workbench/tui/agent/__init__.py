"""The agent side panel and its proposal review (Textual); the headless agent is ``workbench.agent``."""
