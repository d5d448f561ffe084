"""`workbench mcp`: the agent's tools over the Model Context Protocol; proposals go to the inbox."""
