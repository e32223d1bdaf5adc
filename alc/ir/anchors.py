"""Anchors every page has without declaring them: the standard areas a page
extension may add controls and actions to, and the promoted-action groups.
Both the compile-time page rules (semantic/checks/pages) and the merge engine
(merge/work) resolve an extension's anchors against them.

>>> "factboxes" in STANDARD_AREAS["control"], bool(PROMOTED_CATEGORY.match("Category_Process"))
(True, True)
"""

from __future__ import annotations

import re

__all__ = ["STANDARD_AREAS", "PROMOTED_CATEGORY"]

# Areas a page extension may add to even when the target page declares none.
STANDARD_AREAS = {
    "control": frozenset(("content", "factboxes", "rolecenter", "prompt", "promptoptions")),
    "action": frozenset(("processing", "navigation", "reporting", "creation", "promoted", "prompting",
                         "promptguide", "sections", "embedding", "systemactions")),
}

# The promoted-action groups every page has, one per PromotedActionCategories entry.
PROMOTED_CATEGORY = re.compile(r"(?i)category_(new|process|report|category\d+)\Z")
