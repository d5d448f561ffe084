"""The Jira part of the local server: projects, issues, workflow, comments, worklogs, links, JQL.

Cloud paths ``/rest/api/3/...`` (ADF bodies) and ``/rest/api/2/...`` (wiki markup bodies, the Data
Center flavour's only API), and ``/ex/jira/{cloudId}/...`` for OAuth tokens. Tables are prefixed
``jira_`` (see :mod:`workbench.emulator.jira.schema`)."""
