"""What a person at the keyboard relies on: the focused widget is alive and on screen.

assert_focus_visible(app)     # after any action
numbers = await walk(pilot)   # Tab round the screen, then Maj+Tab back
"""

from __future__ import annotations

from textual import events
from textual.containers import ScrollableContainer
from textual.widget import Widget

from permis_tui.widgets.field_row import FieldRow


def _inside(widget: Widget, ancestor: Widget) -> bool:
    return widget is ancestor or ancestor in widget.ancestors


def _seen_at(app, widget: Widget, x: int, y: int) -> bool:
    """The widget (or one of its children) is what the screen shows at (x, y)."""
    try:
        found, _ = app.screen.get_widget_at(x, y)
    except Exception:  # noqa: BLE001 - NoWidget: nothing drawn there
        return False
    return _inside(found, widget)


def visible_problem(app, widget: Widget) -> str | None:
    """None when the whole widget is drawn on screen, uncovered; otherwise why not."""
    screen = app.screen
    if not widget.is_attached or widget.screen is not screen:
        return f"{widget!r} is not attached to the current screen"
    node = widget
    while node is not None and node is not screen:
        if not node.display:
            return f"{widget!r} is inside hidden {node!r}"
        node = node.parent
    region = widget.region
    if not region.area:
        return f"{widget!r} has no area on screen"
    if not screen.region.contains_region(region):
        return f"{widget!r} at {region} is outside the screen {screen.region}"
    for ancestor in widget.ancestors:
        if isinstance(ancestor, ScrollableContainer) and ancestor is not screen:
            viewport = ancestor.scrollable_content_region
            if not viewport.contains_region(region):
                return f"{widget!r} at {region} is scrolled out of {ancestor!r} ({viewport})"
    for x, y in ((region.x, region.y), (region.right - 1, region.bottom - 1)):
        if not _seen_at(app, widget, x, y):
            return f"{widget!r} at {region} is covered at ({x}, {y})"
    return None


def field_row_of(widget: Widget | None) -> FieldRow | None:
    while widget is not None and not isinstance(widget, FieldRow):
        widget = widget.parent
    return widget


def assert_focus_visible(app) -> Widget:
    focused = app.focused
    assert focused is not None, f"nothing has the focus on {app.screen!r}"
    problem = visible_problem(app, focused)
    assert problem is None, problem
    row = field_row_of(focused)
    body = focused.screen.query("#step-body").first() if row is not None else None
    if row is not None and body is not None and row.outer_size.height <= body.scrollable_content_region.height:
        # The field's number and label come into view with the control.
        label = row.query_one(".field-label")
        problem = visible_problem(app, label)
        assert problem is None, f"label of {row.number}: {problem}"
    return focused


async def press(pilot, key: str) -> None:
    """One key, as the terminal driver delivers it, then wait until it and the screen
    refresh it causes are processed. Faster than `pilot.press`, which also waits for the
    process to go idle twice per key (40 ms at least): a walk presses hundreds of keys."""
    pilot.app.post_message(events.Key(key, key if len(key) == 1 else None))
    await pilot.pause(0)  # the key's handlers, then a layout and repaint
    await pilot.pause(0)  # what was scheduled after that refresh (scrolling into view)
    await pilot.pause(0)  # the layout of the scrolled body


async def walk(pilot, *, limit: int = 120) -> set[str]:
    """Tab until the focus comes back round, then Maj+Tab all the way back; after every key
    the focus must be on a live, visible widget. Returns the field numbers reached."""
    app = pilot.app
    start = assert_focus_visible(app)
    forward = [start]
    for _ in range(limit):
        await press(pilot, "tab")
        focused = assert_focus_visible(app)
        if focused is start:
            break
        forward.append(focused)
    else:
        raise AssertionError(f"Tab never came back to {start!r}")
    backward = [start]
    for _ in range(len(forward)):
        await press(pilot, "shift+tab")
        backward.append(assert_focus_visible(app))
    assert backward == [start, *reversed(forward)], "Maj+Tab does not retrace the Tab order"
    return {row.number for w in forward if (row := field_row_of(w)) is not None}


async def tab_to(pilot, wanted, *, limit: int = 80) -> Widget:
    """Tab (checking every stop) until `wanted(focused)` holds."""
    for _ in range(limit):
        focused = assert_focus_visible(pilot.app)
        if wanted(focused):
            return focused
        await press(pilot, "tab")
    raise AssertionError("Tab never reached the widget")


def shown_numbers(screen, *, focusable_only: bool = False) -> set[str]:
    """Numbers of the fields this step shows now (only those with something to focus:
    a validated request shows its fields read-only)."""
    return {
        row.number
        for row in screen.rows.values()
        if screen.is_shown(row)
        and (not focusable_only or any(w.focusable and screen.is_shown(w) for w in row.query("*")))
    }
