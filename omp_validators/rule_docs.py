"""The documentation page of a rule, as Markdown.

``omp rules explain RULE`` prints exactly this text, and ``scripts/generate_docs.py`` writes
it to ``docs/rules/<rule>.md``, the page that SARIF's ``helpUri`` points to.
"""

from __future__ import annotations

from omp_validators.rules import Rule, help_uri

__all__ = ["rule_page"]


def rule_page(rule: Rule) -> str:
    """Markdown page for ``rule``."""
    return (
        f"# {rule.id}\n\n"
        f"**{rule.title}**\n\n"
        f"- Severity: `{rule.severity.value}`\n"
        f"- Layer: `{rule.source}`\n"
        f"- Page: <{help_uri(rule.id)}>\n\n"
        f"## What it checks\n\n{rule.description}\n\n"
        f"## How to fix it\n\n{rule.hint}\n\n"
        f"## Select or ignore it\n\n"
        f"```bash\nomp validate --ignore {rule.id} PATH\n```\n"
    )
