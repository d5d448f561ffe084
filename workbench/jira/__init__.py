"""Jira where Confluence meets it: JQL, ADF ⇄ Markdown, and a client on the shared transport."""
