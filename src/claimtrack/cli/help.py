"""Help in plain words: every option's value named (``--dir DIR``, ``--format table|json``),
arguments as the usage line of any Unix tool writes them (``ID``, ``[DIR]``, ``FILE...``),
never typer's type placeholders (``<str>``, ``<list[str]>``, ``<int range>``, ``{ID}``)."""

from __future__ import annotations

from typing import Any

from typer.core import TyperArgument, TyperCommand, TyperOption


def plain_metavars(params: list[Any]) -> None:
    """Name the value of every option that does not name its own: its choices, else its long
    name in capitals (``--title TITLE``)."""
    for param in params:
        if not isinstance(param, TyperOption) or param.metavar is not None:
            continue
        if param.is_flag or param.count:
            continue
        choices = getattr(param.type, "choices", None)
        if choices:
            param.metavar = "|".join(str(getattr(c, "value", c)) for c in choices)
            continue
        longest = max(param.opts, key=len).lstrip("-")
        param.metavar = longest.replace("-", "_").upper()


class PlainArgument(TyperArgument):
    """An argument as the usage line of any Unix tool writes it: ``ID`` when required, ``[ID]``
    when not, ``...`` after one that takes several; listed under that name alone (the help
    says what it is, so no type placeholder follows it)."""

    def make_metavar(self, ctx: Any, *, usage: bool = False) -> str:
        name = self.metavar if self.metavar is not None else str(self.name or "").upper()
        several = self.nargs != 1 and "..." not in name
        if usage and not self.required and not name.startswith("["):
            name = f"[{name}]"
        return name + ("..." if several else "")


class PlainOption(TyperOption):
    """An option whose help says its range in words (``Admiralty 1-6``), not ``[1<=x<=6]``."""

    def get_help_record(self, ctx: Any) -> tuple[str, str] | None:
        record = super().get_help_record(ctx)
        describe = getattr(self.type, "_describe_range", None)
        if record is None or describe is None:
            return record
        said = describe()
        names, help_text = record
        for shown in (f"; {said}", f"{said}; ", f"  [{said}]"):
            help_text = help_text.replace(shown, "")
        return names, help_text


class PlainCommand(TyperCommand):
    """A command whose help and usage line are in plain words."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        plain_metavars(self.params)
        for param in self.params:
            # typer makes the parameters; these subclasses change only how they are shown
            if type(param) is TyperArgument:
                param.__class__ = PlainArgument
            elif type(param) is TyperOption:
                param.__class__ = PlainOption


#: Examples for each command's help (shown after its options), by the command's full name.
EXAMPLES: dict[str, tuple[str, ...]] = {
    "list": (
        "claimtrack list --status contested,refuted --tag oil",
        "claimtrack list --min-confidence likely --sort -confidence --limit 10",
        "claimtrack list --format json | jq '.[].id'",
    ),
    "search": (
        'claimtrack search "national mourning"',
        "claimtrack search 'mourn*' --status contested --format json",
    ),
    "show": ("claimtrack show chavez-died-2013", "claimtrack show chavez-died-2013 --format json"),
    "validate": ("claimtrack validate", "claimtrack validate claims/new-claim.yaml --strict"),
    "stats": ("claimtrack stats", "claimtrack stats --top 0 --format json"),
    "schema": ("claimtrack schema sources", "claimtrack schema --write schema/"),
    "report": (
        "claimtrack report --fail-on contested",
        "claimtrack report --format html --output report.html",
    ),
    "rules": ("claimtrack rules",),
    "export": (
        "claimtrack export --format csv --status contested --output contested.csv",
        "claimtrack export --format claimreview --tag oil",
    ),
    "import": ("claimtrack import reviews.jsonld", "claimtrack import claims.csv --write"),
    "init": ("claimtrack init", "claimtrack init newsroom-project"),
    "add": (
        'claimtrack add --statement "Exports fell by half." --source wire-report \\',
        '    --attributed-to "The minister" --kind official --confidence likely',
        "claimtrack add          # on a terminal: asks for each required field",
    ),
    "edit": ("claimtrack edit chavez-died-2013",),
    "set": (
        "claimtrack set chavez-died-2013 confidence 'very likely' tags chavez,history",
        "claimtrack set oil-exports quantity.value 7e8 quantity.unit USD quantity.bound lower",
        "claimtrack set chavez-died-2013 notes --unset",
    ),
    "evidence add": (
        "claimtrack evidence add chavez-died-2013 --source gazette --stance supports "
        "--credibility 1",
    ),
    "dispute": ('claimtrack dispute oil-exports --by "Opposition party" --source rebuttal',),
    "source add": (
        'claimtrack source add --title "Harbour water report" --kind report --reliability B',
    ),
    "source rm": ("claimtrack source rm harbour-water-report",),
    "source show": (
        "claimtrack source show harbour-water-report",
        "claimtrack source show harbour-water-report --format json",
    ),
    "source set": ("claimtrack source set harbour-water-report reliability B",),
    "source archive": (
        "claimtrack source archive harbour-water-report saved-page.html",
        "claimtrack source archive harbour-water-report https://example.org/report --force",
    ),
    "review": (
        "claimtrack review",
        "claimtrack review drafts/",
        "claimtrack review --accept harbour-dredged-2025 --reject harbour-closed",
    ),
    "rm": ("claimtrack rm chavez-died-2013", "claimtrack rm chavez-died-2013 --yes --force"),
    "mv": ("claimtrack mv chavez-died-2013 chavez-death-2013",),
    "fmt": ("claimtrack fmt --check", "claimtrack fmt"),
    "log": ("claimtrack log chavez-died-2013",),
    "diff": ("claimtrack diff", "claimtrack diff v1.0 HEAD --format json"),
    "verify": ("claimtrack verify", "claimtrack verify --format json"),
    "quantities": ("claimtrack quantities", "claimtrack quantities --format json"),
    "graph": (
        "claimtrack graph --status contested | dot -Tsvg > contested.svg",
        "claimtrack graph --format mermaid --tag oil",
    ),
    "extract": (
        "claimtrack extract article.html --source daily-example",
        "claimtrack extract article.md --into drafts/",
    ),
}


def examples(name: str) -> str:
    """The help's closing section for a command: its examples, each line kept as written."""
    lines = EXAMPLES[name]
    # "\b" before a paragraph tells click not to rewrap it.
    return "Examples:\n\n\b\n" + "\n".join(f"  {line}" for line in lines)
