"""An error found in a census file: where it is and what is wrong."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Issue:
    file: str
    line: int | None
    child_id: str
    element: str
    reason: str

    def __str__(self) -> str:
        where = f"line {self.line}" if self.line else "line ?"
        return f"{self.file}, {where}: child {self.child_id or '-'}: <{self.element}> {self.reason}"
