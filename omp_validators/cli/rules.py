"""``omp rules``: list the rules and explain one (the text of its docs page)."""

from __future__ import annotations

import json

import click

__all__ = ["rules"]


@click.group()
def rules() -> None:
    """List the rules the validator checks, or explain one."""


@rules.command("list")
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
    help="Output format.",
)
def list_rules(fmt: str) -> None:
    """List every rule id with its severity and title."""
    from omp_validators.rules import all_rules

    items = all_rules()
    if fmt == "json":
        click.echo(
            json.dumps(
                [
                    {"id": r.id, "severity": r.severity.value, "title": r.title,
                     "source": r.source}
                    for r in items
                ],
                indent=2,
            )
        )
        return
    width = max(len(r.id) for r in items)
    for r in items:
        click.echo(f"{r.id:<{width}}  {r.severity.value:<7}  {r.title}")


@rules.command("explain")
@click.argument("rule_id")
def explain(rule_id: str) -> None:
    """Explain RULE_ID: what it checks, why, and how to fix a finding."""
    from omp_validators.rule_docs import rule_page
    from omp_validators.rules import get_rule

    rule = get_rule(rule_id)
    if rule is None:
        raise click.UsageError(f"unknown rule {rule_id!r}; see `omp rules list`")
    click.echo(rule_page(rule), nl=False)
