"""Building WHERE clauses whose values are bound as $n parameters, never spliced into the SQL."""


class Params:
    """The values of a query's parameters; `bind` returns the `$n` placeholder for each."""

    def __init__(self) -> None:
        self.values: list[object] = []

    def bind(self, value: object) -> str:
        self.values.append(value)
        return f"${len(self.values)}"


def where(conditions: list[str]) -> str:
    """`WHERE a AND b` for the conditions given, or nothing when there are none."""
    if not conditions:
        return ""
    return "WHERE " + "\n  AND ".join(conditions) + "\n"


def contains(text: str) -> str:
    """An ILIKE pattern matching `text` anywhere, its own % and _ taken literally."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"
