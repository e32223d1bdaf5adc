"""One generated .al file under construction: its lines, its namespace and
the namespaces its references need (`using`).

>>> src = Source("Contoso.Sales")
>>> src.ref("Contoso.Finance", "G/L Account")
'"G/L Account"'
>>> src.lines.append("table 1 X { }")
>>> print(src.text(), end="")
namespace Contoso.Sales;
<BLANKLINE>
using Contoso.Finance;
<BLANKLINE>
table 1 X { }
"""

from __future__ import annotations

from .names import quote

__all__ = ["Source"]


class Source:
    __slots__ = ("namespace", "lines", "usings")

    def __init__(self, namespace: str) -> None:
        self.namespace = namespace
        self.lines: list[str] = []
        self.usings: set[str] = set()

    def ref(self, namespace: str, name: str) -> str:
        """``name`` quoted as needed; remembers that the file uses ``namespace``."""
        if namespace != self.namespace:
            self.usings.add(namespace)
        return quote(name)

    def text(self) -> str:
        head = [f"namespace {self.namespace};", ""]
        if self.usings:
            head += [f"using {u};" for u in sorted(self.usings)] + [""]
        return "\n".join(head + self.lines) + "\n"
