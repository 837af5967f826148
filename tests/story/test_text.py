"""Story text: partner placeholders, pronoun-dependent words, paragraphs and dialogue."""

import pytest

from engine.story.text import (
    Paragraph,
    Partner,
    check_placeholders,
    paragraphs,
    render,
    typed_text_problem,
)


@pytest.mark.parametrize(
    "pronouns, expected",
    [
        ("they", "They are late; Robin says they call them. It is theirs, themself."),
        ("she", "She is late; Robin says she calls her. It is hers, herself."),
        ("he", "He is late; Robin says he calls him. It is his, himself."),
    ],
)
def test_placeholders_follow_the_pronouns(pronouns, expected):
    text = (
        "{They} {are/is} late; {partner} says {they} call{/s} {them}. It is {theirs}, {themself}."
    )
    assert render(text, Partner("Robin", pronouns)) == expected


def test_braces_can_be_written_doubled():
    assert render("{{not a placeholder}} {partner}", Partner("Ana")) == "{not a placeholder} Ana"


def test_unknown_and_lone_braces_are_found_with_their_offsets():
    assert check_placeholders("Hi {partnr}, {they} } {") == [
        (3, 8, "unknown placeholder '{partnr}'"),
        (20, 1, "a lone '}': write '}}' for a brace, or close the placeholder"),
        (22, 1, "a lone '{': write '{{' for a brace, or close the placeholder"),
    ]
    assert check_placeholders("{Their} {a/b} {{x}}") == []


def test_pronouns_must_be_known():
    with pytest.raises(ValueError):
        Partner("X", "it")


def test_paragraphs_join_lines_and_mark_dialogue():
    text = 'First line\ncontinues.\n\n{partner}: “Not tonight.”\n\nYou: "Fine."\n\nNote: plain.'
    assert paragraphs(text, Partner("Robin", "she")) == [
        Paragraph("First line continues."),
        Paragraph("“Not tonight.”", "Robin"),
        Paragraph('"Fine."', "You"),
        Paragraph("Note: plain."),
    ]


def test_a_lowercase_or_foreign_partner_name_still_speaks():
    assert paragraphs('{partner}: "Hola."', Partner("josé"))[0].speaker == "josé"


def test_markup_blocks_find_headings_items_and_paragraphs():
    from engine.story.text import MarkupBlock, markup_blocks

    text = "Intro line\ncontinues.\n\n## Reading\n\n- one\n  more\n- two\n1. three\n\nEnd."
    assert markup_blocks(text) == [
        MarkupBlock("body", "Intro line continues."),
        MarkupBlock("heading", "Reading"),
        MarkupBlock("item", "- one more"),
        MarkupBlock("item", "- two"),
        MarkupBlock("item", "1. three"),
        MarkupBlock("body", "End."),
    ]


@pytest.mark.parametrize(
    ("typed", "problem"),
    [
        ("Renée", None),
        ("Sam \U0001f469\u200d\U0001f469\u200d\U0001f467", None),  # an emoji joined with ZWJ
        ("\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645", None),  # Persian, with a ZWNJ
        ("Ren\u200bée", "it holds an invisible character (U+200B ZERO WIDTH SPACE)"),
        ("Kit\u00ad", "it holds an invisible character (U+00AD SOFT HYPHEN)"),
        ("Kit\u202e", "it holds a control character (U+202E RIGHT-TO-LEFT OVERRIDE)"),
        ("a\nb", "it holds a control character (U+000A)"),
        ("\ue000", "it holds a character that cannot be shown (U+E000)"),
        ("\ud800", "it holds bytes that are not text (check the terminal's encoding)"),
    ],
)
def test_one_check_of_typed_names_for_every_front_end(typed, problem):
    """The class server refused every formatting character (the joiners that emoji and
    Persian names need too) while the terminal let a zero-width space through: one check now."""
    assert typed_text_problem(typed) == problem
