"""The semantic rules, one module per family; each adds diagnostics to the context.

>>> [rule.__name__ for rule in RULES]
['check_objects', 'check_tables', 'check_pages', 'check_enums', 'check_events', 'check_types']
"""

from .enums import check_enums
from .events import check_events
from .objects import check_objects
from .pages import check_pages
from .tables import check_tables
from .variables import check_types

RULES = (check_objects, check_tables, check_pages, check_enums, check_events, check_types)
# The rules that look at one object at a time (run where the objects are);
# check_objects compares all objects of the app and runs on their headers.
SHARE_RULES = RULES[1:]

__all__ = ["RULES", "SHARE_RULES", "run_checks"]


def run_checks(ctx) -> list:
    for rule in RULES:
        rule(ctx)
    return ctx.diagnostics
