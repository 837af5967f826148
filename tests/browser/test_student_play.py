"""A student plays a whole story in a real browser: by keyboard alone at a laptop's size, by
mouse (taps) on a 360 px phone, and with JavaScript off."""

from __future__ import annotations

from .conftest import LAPTOP, PHONE, STORIES, arrived, expect, fits_width, join_by_mouse

# What has the focus: its tag, its text (or field's label), and whether a focus ring shows.
FOCUSED = """
() => {
  const e = document.activeElement;
  const style = getComputedStyle(e);
  const ring = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2;
  const label = e.labels && e.labels.length ? e.labels[0].textContent : '';
  const text = (e.getAttribute('aria-label') || e.textContent || label || e.value || '');
  return {tag: e.tagName, id: e.id, text: text.replace(/\\s+/g, ' ').trim(), ring: ring};
}
"""


def tab_to(page, text: str, limit: int = 40) -> dict:
    """Press Tab until the focused element's text starts with `text`; every element on the way
    must show a focus ring."""
    seen = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        seen.append(focused["text"][:30])
        assert focused["ring"], f"no visible focus on {focused}"
        if focused["text"].startswith(text):
            return focused
    raise AssertionError(f"Tab never reached {text!r}; it went through {seen}")


def test_a_whole_story_by_keyboard_alone(serve, new_context):
    server = serve(STORIES / "ui_long.yaml")
    page = new_context(viewport=LAPTOP).new_page()
    page.goto(server.students)

    first = tab_to(page, "Skip to the main content")
    assert first["tag"] == "A"
    assert tab_to(page, "Join")["tag"] == "BUTTON"
    page.keyboard.press("Enter")
    arrived(page, "Content note")

    tab_to(page, "Continue")
    page.keyboard.press("Space")
    arrived(page, "Your partner in the story")

    field = tab_to(page, "Their name")
    assert field["tag"] == "INPUT"
    page.keyboard.press("Control+A")
    page.keyboard.type("Sam")
    tab_to(page, "she / her")  # the checked radio of the group
    page.keyboard.press("ArrowDown")  # he / him
    assert page.get_by_label("he / him").is_checked()
    tab_to(page, "Begin the story")
    page.keyboard.press("Enter")
    arrived(page, "A very long evening at the café")
    assert "Sam looks at you" in page.locator("article").inner_text()

    # The locked choice is a disabled button that Tab passes by, with its reason.
    locked = page.get_by_role("button", name="Leave the café without a word. (Walk away)")
    expect(locked).to_be_disabled()
    description = page.locator("#" + locked.get_attribute("aria-describedby")).inner_text()
    assert description.startswith("Not open to you now: You would need to feel")
    # A number key picks a choice (play.js).
    page.keyboard.press("2")
    arrived(page, "After your last choice")
    assert page.evaluate("document.activeElement.id") == "feedback"
    assert "You chose: Option 2" in page.locator("#feedback").inner_text()
    assert "He is quiet for a while" in page.locator("#feedback").inner_text()

    # From the feedback, Tab reaches the choices first; undo by keyboard, then choose again.
    choice = tab_to(page, "1.", limit=1)
    assert choice["text"] == "1. Let it rest. (Accept)"
    tab_to(page, "Take back my last choice")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Your last choice was taken back.")).to_be_visible()
    choice = tab_to(page, "1.")
    assert choice["text"].startswith("1. Option 1, a choice whose text is long")
    page.keyboard.press("Enter")
    arrived(page, "Later")
    tab_to(page, "2. Bring it up again.", limit=2)
    page.keyboard.press("Space")

    arrived(page, "The long row")
    assert "You chose: Bring it up again. (Fight for cooperation)" in page.inner_text("#feedback")
    tab_to(page, "The chart as a table")
    page.keyboard.press("Enter")
    expect(page.get_by_role("columnheader", name="After 2")).to_be_visible()
    tab_to(page, "Play again")
    page.keyboard.press("Enter")
    arrived(page, "Your partner in the story")


def test_a_whole_story_by_mouse_on_a_phone(serve, new_context):
    server = serve(STORIES / "map_medium.yaml")
    page = new_context(viewport=PHONE, has_touch=True, is_mobile=True).new_page()

    def fits(where: str) -> None:
        width, window = fits_width(page)
        assert width <= window, f"{where}: the page is {width} px wide in a {window} px window"

    page.goto(server.students)
    fits("join")
    page.get_by_role("button", name="Join").tap()
    arrived(page, "Your partner in the story")
    fits("partner")
    page.get_by_label("Their name").fill("Aleksandra-Wilhelmina")
    page.get_by_label("they / them").tap()
    page.get_by_role("button", name="Begin the story").tap()
    scenes = []
    for _ in range(30):
        heading = page.locator("h1")
        expect(heading).to_be_visible()
        fits(heading.inner_text())
        if page.locator(".ending").count():
            break
        scenes.append(heading.inner_text())
        step = page.locator("input[name=step]").first.input_value()
        # The last choice on offer: through the story's longer branches.
        page.locator("#choices button:not([disabled])").last.tap()
        expect(page.locator("input[name=step]").first).not_to_have_value(step)
    else:
        raise AssertionError(f"no ending after 30 choices: {scenes}")
    assert len(scenes) >= 2, scenes
    assert page.get_by_text("The end", exact=True).count() == 1
    for name in ("Your path", "Your meters at the end", "Your meters along the way"):
        expect(page.get_by_role("heading", name=name)).to_be_visible()
    page.get_by_text("The chart as a table").tap()
    fits("the ending with its table open")  # the wide table scrolls inside its own box


def test_a_whole_story_with_javascript_off(serve, new_context):
    server = serve(STORIES / "server_class.yaml")
    context = new_context(viewport=LAPTOP, java_script_enabled=False)
    page = context.new_page()
    join_by_mouse(page, server)
    arrived(page, "The rent")
    page.get_by_role("button", name="1. Pay it yourself, again. (Accept)").click()
    expect(page.get_by_text("You pay. It stings.")).to_be_visible()
    page.get_by_role("button", name="2. Let it drop. (Accept)").click()
    arrived(page, "Apart")
    expect(page.get_by_role("heading", name="Where to get help").last).to_be_visible()
    page.get_by_role("button", name="Play again").click()
    arrived(page, "Your partner in the story")
