"""The small words the sentences share: counted nouns, shares and lists."""

from .. import formatting as fmt

# How a figure with no value (a percentage of nothing, a benchmark nobody entered) reads in
# the narrative. The tables keep their own dash.
NOT_AVAILABLE_IN_WORDS = "not available"


def counted(n, singular: str, plural: str | None = None) -> str:
    """3 -> "3 children"; 1 -> "1 child"."""
    return f"{fmt.count(n)} {singular if n == 1 else (plural or singular + 's')}"


def share(part, whole) -> str:
    """part of whole as the report prints a percentage; whole is never 0 here."""
    return fmt.percent(round(100 * part / whole, 2))


def part_of(part, whole) -> str:
    """ "50 of 174 (28.7%)", or "none of 174": never "0 of" anything. whole is never 0 here."""
    if not part:
        return f"none of {fmt.count(whole)}"
    return f"{fmt.count(part)} of {fmt.count(whole)} ({share(part, whole)})"


def join(items: list[str]) -> str:
    """["a", "b", "c"] -> "a, b and c", leaving out empty items."""
    items = [item for item in items if item]
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def capital(text: str) -> str:
    return text[:1].upper() + text[1:]
