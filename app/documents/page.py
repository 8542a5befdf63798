"""Reads: what the document page shows at once and what it folds behind "show all" (issue 14 items 3, 6).

The page opens on what the letter is and what the user must do now. The long lists under it (the files,
the notes of a unit's work, the timeline) show their most recent entries; the rest stays on the page,
collapsed, one tap away. A list only one entry longer than its limit is shown whole: a button to open a
single hidden line would take as much room as the line.
"""
from dataclasses import dataclass

FILES_SHOWN = 3     # the newest files
NOTES_SHOWN = 2     # the latest notes on a unit's work
TIMELINE_SHOWN = 2  # the latest steps of the timeline


@dataclass(frozen=True)
class Folded:
    """A list split for the page: `shown` at once, `folded` behind "show all"; both keep the list's order."""
    shown: tuple
    folded: tuple = ()
    folded_first: bool = False  # a history folds its earlier entries, which come before the shown ones

    @property
    def total(self):
        return len(self.shown) + len(self.folded)

    def __iter__(self):  # the whole list, folded part included, in its order
        return iter(self.folded + self.shown if self.folded_first else self.shown + self.folded)


def newest_first(items, keep):
    """`items` newest first: show the first `keep`, fold the older ones after them."""
    items = tuple(items)
    if len(items) <= keep + 1:
        return Folded(items)
    return Folded(items[:keep], items[keep:])


def latest_of(items, keep):
    """`items` oldest first (a history): show the last `keep`, fold the earlier ones before them."""
    items = tuple(items)
    if len(items) <= keep + 1:
        return Folded(items)
    return Folded(items[-keep:], items[:-keep], folded_first=True)
