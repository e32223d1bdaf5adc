"""Write ``data/builtins.json`` from the public AL reference documentation.

    python -m alc.semantic.code.builtins_gen <checkout>/dev-itpro/developer/methods-auto [--source TEXT]

The input is the `methods-auto` folder of MicrosoftDocs/dynamics365smb-devitpro-pb
(one folder per data type: `<type>-data-type.md`, one page per method,
`<type>-option.md` for the system option types). For every method the data
file keeps its overloads as ``[min, max, returns, parameters]`` (``max`` null
for a variadic one, ``returns`` null when the method returns nothing,
``parameters`` the documented parameter types, `var ` kept) and whether
it can be called without its type's name (`Message(...)` for
`Dialog.Message`); for every option type its members.

>>> _arity("Text [, Text]"), _arity("[Any,...]"), _arity("var Array of [Any] [, Integer]"), _arity("")
((1, 2), (0, None), (1, 2), (0, 0))
>>> _arity("Text [, DataScope], var Text")
(2, 3)
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys

_HEADER = re.compile(r"^# ([A-Za-z0-9]+)\.([A-Za-z0-9]+)\((.*)\) Method\s*$", re.M)
_RETURN = re.compile(r"## Return Value\s*\n\*(?:\[Optional\] )?[^*]*\*\s*\n&emsp;Type: \[?([A-Za-z ]+)", re.M)
_GLOBAL = "invoked without specifying the data type name"
_OPTION = re.compile(r"^# ([A-Za-z]+) option type", re.M)
_MEMBER = re.compile(r"^\|([A-Za-z][A-Za-z0-9_]*)\|", re.M)


def _strip_of(text: str) -> str:
    """`Array of [Any]`, `Dictionary of [Text, Text]` -> `Array`, `Dictionary` (their brackets are not optional)."""
    while True:
        m = re.search(r"\bof \[", text)
        if not m:
            return text
        depth, i = 0, m.end() - 1
        while i < len(text):
            depth += {"[": 1, "]": -1}.get(text[i], 0)
            if depth == 0:
                break
            i += 1
        text = text[:m.start()] + text[i + 1:]


def _arity(params: str) -> tuple:
    params = _strip_of(params).strip()
    if not params:
        return 0, 0
    required = re.sub(r"\[[^\[\]]*\]", "", params)
    while "[" in required:     # nested optional groups
        required = re.sub(r"\[[^\[\]]*\]", "", required)
    items = [p for p in re.split(r"[,\[\]]", params) if p.strip()]
    variadic = any(p.strip() == "..." for p in items)
    count = sum(1 for p in items if p.strip() != "...")
    low = sum(1 for p in required.split(",") if p.strip() and p.strip() != "...")
    return low, None if variadic else count


def _params(params: str) -> list:
    """The parameter types of a signature in order (`var ` kept; `...` repeats the one before it).

    >>> _params("var Text [, Integer]"), _params("Text [, Any,...]"), _params("var Array of [Any]")
    (['var Text', 'Integer'], ['Text', 'Any', '...'], ['var Array'])
    """
    return [p.strip() for p in re.split(r"[,\[\]]", _strip_of(params)) if p.strip()]


def _sections(path: str) -> dict:
    """page file name -> `static` or `instance`, from the type's `<type>-data-type.md` tables."""
    out: dict = {}
    for name in os.listdir(path):
        if name.endswith("-data-type.md"):
            with open(os.path.join(path, name), encoding="utf-8") as f:
                kind = None
                for line in f:
                    if line.startswith("## "):
                        kind = "static" if "Static" in line else "instance" if "Instance" in line else None
                    elif kind:
                        for link in re.findall(r"\]\(([^()\s]+\.md)\)", line):
                            out.setdefault(link, kind)
    return out


def read_docs(folder: str) -> dict:
    types: dict = {}
    globals_: dict = {}
    options: dict = {}
    for type_dir in sorted(os.listdir(folder)):
        path = os.path.join(folder, type_dir)
        if not os.path.isdir(path):
            continue
        sections = _sections(path)
        for name in sorted(os.listdir(path)):
            if not name.endswith(".md"):
                continue
            with open(os.path.join(path, name), encoding="utf-8") as f:
                text = f.read()
            if name.endswith("-option.md"):
                m = _OPTION.search(text)
                if m:
                    members = text.split("## Members", 1)[-1].split("[//]", 1)[0]
                    options[m.group(1)] = sorted(set(_MEMBER.findall(members)) - {"Member"})
                continue
            m = _HEADER.search(text)
            if not m:
                continue
            type_name, method, params = m.groups()
            kind = sections.get(name, "instance")
            ret = _RETURN.search(text)
            low, high = _arity(params)
            overload = [low, high, ret.group(1).strip() if ret else None, _params(params)]
            methods = types.setdefault(type_name, {}).setdefault(kind, {})
            methods.setdefault(method, [])
            if overload not in methods[method]:
                methods[method].append(overload)
            if kind == "static" and (_GLOBAL in text or type_name == "System"):
                globals_.setdefault(method, [])
                if overload not in globals_[method]:
                    globals_[method].append(overload)
    return {"types": types, "globals": globals_, "options": options}


# Overloads the reference does not list, which Microsoft's own code uses (and its compiler accepts):
# (type, kind, method) -> overloads added.
CORRECTIONS = {
    ("Codeunit", "instance", "Run"): [[0, 1, "Boolean", ["var Record"]]],   # `MyCodeunit.Run()` without a record
    # Get(Key, Scope, Level?, Value)
    ("IsolatedStorage", "static", "Get"): [[4, 4, "Boolean", ["Text", "DataScope", "IsolationLevel", "var Text"]]],
}


def _correct(data: dict) -> None:
    for (type_name, kind, method), overloads in CORRECTIONS.items():
        found = data["types"].setdefault(type_name, {}).setdefault(kind, {}).setdefault(method, [])
        found.extend(o for o in overloads if o not in found)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", help="the methods-auto folder of the AL reference documentation")
    parser.add_argument("--source", default="", help="where the documentation came from (kept in the file)")
    parser.add_argument("--out", default=os.path.join(os.path.dirname(__file__), "data", "builtins.json"))
    args = parser.parse_args(argv)
    data = read_docs(args.folder)
    _correct(data)
    data = {"source": args.source, **data}
    tmp = args.out + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(data, f, indent=1, sort_keys=True)
        f.write("\n")
    os.replace(tmp, args.out)
    print(f"{len(data['types'])} types, {sum(len(m) for k in data['types'].values() for m in k.values())} methods, "
          f"{len(data['globals'])} global methods, {len(data['options'])} option types")
    return 0


if __name__ == "__main__":
    sys.exit(main())
