"""tree-sitter smoke test: the Markdown editor highlights without crashing (see textual-style §6).

Runs in a subprocess, because a bad tree-sitter/grammar pair segfaults instead of raising.
"""

from __future__ import annotations

import subprocess
import sys

SCRIPT = r'''
import asyncio
from textual.app import App
from workbench.tui.widgets.editor import MdEditor

DOC = """# Title

Some *text* with `code`, a [link](page:ENG/Home) and ⟦status: On track⟧.

> [!NOTE]
> An alert.

- [ ] a task

```json
{"a": [1, 2, {"b": null}]}
```

```javascript
const f = (x) => x + 1;
```

| a | b |
|---|---|
| 1 | 2 |
"""

class Smoke(App):
    def compose(self):
        yield MdEditor(id="ed")

async def main():
    app = Smoke()
    async with app.run_test(size=(80, 24)) as pilot:
        editor = app.query_one(MdEditor)
        editor.load_text(DOC)
        await pilot.pause()
        assert editor.language == "markdown", editor.language
        assert editor._highlight_query is not None, "no tree-sitter highlighting"
        editor.insert("more text\n```python\nprint(1)\n```\n")
        await pilot.pause()
        print("ok", len(editor.text))

asyncio.run(main())
'''


def test_markdown_editor_highlights_without_crashing():
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.startswith("ok")
