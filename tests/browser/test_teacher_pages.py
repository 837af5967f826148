"""The teacher's pages in a real browser: the dashboard follows the class by itself (live.js
polls every 2 s) and the projector reveals a decision's results only when asked."""

from __future__ import annotations

from .conftest import PHONE, STORIES, HttpStudent, expect, fits_width, join_by_mouse, teacher_page

LIVE_WAIT = 3_500  # ms: a poll every 2 s, and the time to fetch and draw it


def choose(page, number: int) -> None:
    step = page.locator("input[name=step]").first.input_value()
    page.locator(f"#choices button[data-key='{number}']").click()
    expect(page.locator("input[name=step]").first).not_to_have_value(step)


def test_the_dashboard_follows_the_class_without_a_reload(serve, new_context):
    server = serve(STORIES / "server_class.yaml")
    dashboard = teacher_page(new_context(), server)
    counts = dashboard.locator(".counts")
    expect(dashboard.get_by_text("No one has joined yet.")).to_be_visible()
    dashboard.evaluate("window.notReloaded = true")

    alice = new_context().new_page()
    bob = new_context().new_page()
    join_by_mouse(alice, server)
    join_by_mouse(bob, server)
    choose(alice, 1)
    choose(bob, 2)
    expect(counts).to_contain_text(
        "2 joined, 2 playing, 0 finished; 2 choices made", timeout=LIVE_WAIT
    )
    # A screen reader hears the numbers when they change, from a polite status line outside
    # the region that is replaced every two seconds (the region itself is not live).
    status = dashboard.locator("#live-status")
    assert status.get_attribute("aria-live") == "polite"
    assert dashboard.locator("#live").get_attribute("aria-live") is None
    expect(status).to_have_text("2 joined, 2 playing, 0 finished", timeout=LIVE_WAIT)
    decisions = dashboard.locator("section[aria-labelledby=decisions-h]")
    expect(decisions.get_by_role("heading", name="The rent")).to_be_visible()
    expect(decisions.locator(".bars li").first).to_contain_text("Accept 1 (50%)")
    expect(decisions.locator(".bars li").nth(1)).to_contain_text("Fight for cooperation 1 (50%)")
    choose(alice, 2)  # let it drop: apart, an ending
    expect(counts).to_contain_text("1 finished", timeout=LIVE_WAIT)
    expect(status).to_have_text("2 joined, 1 playing, 1 finished", timeout=LIVE_WAIT)
    expect(dashboard.locator(".players tbody tr").first).to_contain_text("Apart")
    assert dashboard.evaluate("window.notReloaded") is True  # the same page, updated in place


def test_the_projector_reveals_a_decision_when_asked(serve, new_context):
    server = serve(STORIES / "server_class.yaml")
    for _ in range(2):
        HttpStudent(server).join().choose(1)
    projector = teacher_page(new_context(), server)
    projector.get_by_role("link", name="Projector view").click()
    expect(projector).to_have_url(server.url("/teacher/projector"))
    title = projector.get_by_role("heading", name="The rent")
    rent = projector.locator("section.decision", has=title)
    expect(rent).to_contain_text("2 answers")
    expect(rent).to_contain_text("The results are hidden until you reveal them.")
    expect(rent.locator(".bars")).to_have_count(0)
    assert "Accept" not in rent.inner_text()

    rent.get_by_role("button", name="Reveal the results").click()
    expect(rent.locator(".bars li").first).to_contain_text("Accept")
    expect(rent.locator(".bars li").first).to_contain_text("100% (2)")
    expect(rent.get_by_role("button", name="Hide the results")).to_be_visible()
    assert projector.url.endswith("#d-rent")
    # Revealed on the teacher's side only: the endings stay hidden.
    endings = projector.locator("section.debrief")
    expect(endings.get_by_role("button", name="Reveal the endings")).to_be_visible()

    rent.get_by_role("button", name="Hide the results").click()
    expect(rent.get_by_role("button", name="Reveal the results")).to_be_visible()
    expect(rent.locator(".bars")).to_have_count(0)


def test_the_dashboard_with_players_fits_a_phone(serve, new_context):
    """The players table scrolls inside its box; its hidden "Actions" label, placed absolutely,
    used to stand outside it and widen the whole page by 3 px at 360 px."""
    server = serve()  # the bundled story: its scene titles make the table wider than a phone
    student = HttpStudent(server).join()
    for _ in range(40):  # to an ending: the widest row (where, and "finished")
        if not student.choices():
            break
        student.choose(1)
    dashboard = teacher_page(new_context(viewport=PHONE), server)
    expect(dashboard.locator(".players tbody tr")).to_have_count(1)
    width, window = fits_width(dashboard)
    assert width <= window, (width, window)
