"""The rules that keep names reversible (pure): which names a page shows, and settling typed mentions."""

from __future__ import annotations

from workbench.convert import markdown_to_storage, storage_to_markdown
from workbench.services.users import (
    display_form,
    extend_names,
    id_form,
    mention_texts,
    names_for,
    settle_mentions,
)

PRIYA, MARCUS, OTHER_PRIYA = "557058:priya", "712020:marcus", "5b10ac8d82e05b22cc7d4ef5"
NAMES = {PRIYA: "Priya Raman", MARCUS: "Marcus Oyelaran", OTHER_PRIYA: "Priya Raman"}


def mention(account_id: str) -> str:
    return f'<ac:link><ri:user ri:account-id="{account_id}" /></ac:link>'


def test_names_for_a_page_leaves_shared_names_in_the_id_form():
    assert names_for(NAMES, [PRIYA, MARCUS]) == {PRIYA: "Priya Raman", MARCUS: "Marcus Oyelaran"}
    # Both Priyas on one page: neither is named, so neither can be saved as the other.
    assert names_for(NAMES, [PRIYA, MARCUS, OTHER_PRIYA]) == {MARCUS: "Marcus Oyelaran"}
    assert names_for(NAMES, ["557058:nobody"]) == {}
    # A name that reads as another mentioned account's id form is never used.
    assert names_for({"a": "b", "b": "Bee"}, ["a", "b"]) == {"b": "Bee"}


def test_display_form_matches_what_the_converter_writes():
    odd = {PRIYA: "  Ana ⟦the⟧\n Lopez "}
    md = storage_to_markdown(f"<p>{mention(PRIYA)}</p>", users=names_for(odd, [PRIYA]))
    assert md == f"⟦@{display_form(odd[PRIYA])}⟧\n" == "⟦@Ana [the] Lopez⟧\n"
    storage = f"<p>{mention(PRIYA)} hi</p>"
    users = names_for(odd, [PRIYA])
    edited = md.replace("\n", " hi\n")
    assert markdown_to_storage(edited, base=storage, users=users) == storage


def test_settle_keeps_page_names_and_names_the_id_form():
    users = {PRIYA: "Priya Raman"}
    text = f"Ask ⟦@Priya Raman⟧ or ⟦@{id_form(PRIYA)}⟧.\n"
    settled = settle_mentions(text, users)
    assert settled.markdown == "Ask ⟦@Priya Raman⟧ or ⟦@Priya Raman⟧.\n"
    assert settled.users == users and settled.unknown == ()


def test_settle_resolves_a_known_person_and_leaves_an_unknown_name_as_text():
    settled = settle_mentions(
        "Ping ⟦@Marcus Oyelaran⟧ and ⟦@Nobody Here⟧.\n", {PRIYA: "Priya Raman"}, NAMES
    )
    assert settled.markdown == "Ping ⟦@Marcus Oyelaran⟧ and @Nobody Here.\n"
    assert settled.users == {PRIYA: "Priya Raman", MARCUS: "Marcus Oyelaran"}
    assert settled.unknown == ("Nobody Here",)
    storage = markdown_to_storage(settled.markdown, users=settled.users)
    assert f'ri:account-id="{MARCUS}"' in storage and "Nobody Here" in storage
    assert storage.count("ri:user") == 1


def test_a_name_two_known_people_share_is_not_guessed():
    settled = settle_mentions("cc ⟦@Priya Raman⟧\n", {}, NAMES)
    assert settled.markdown == "cc @Priya Raman\n" and settled.unknown == ("Priya Raman",)


def test_id_forms_stay_mentions_unless_strict():
    text = "cc ⟦@557058:someone⟧\n"
    assert settle_mentions(text, {}).markdown == text
    strict = settle_mentions(text, {}, strict_ids={PRIYA})
    assert strict.markdown == "cc @557058:someone\n"
    kept = settle_mentions(text, {}, keep=["557058:someone"], strict_ids={PRIYA})
    assert kept.markdown == text


def test_code_and_escaped_brackets_are_left_alone():
    text = "```\n⟦@Nobody Here⟧\n```\n\n`⟦@Nobody Here⟧` and \\⟦@Nobody Here⟧\n"
    assert settle_mentions(text, {}).markdown == text
    assert mention_texts(text) == []
    assert mention_texts("⟦@A B⟧ ⟦@c⟧ ⟦@A B⟧") == ["A B", "c"]


def test_extend_names_never_changes_existing_entries():
    users = {PRIYA: "Priya Raman"}
    grown = extend_names(users, [PRIYA], NAMES, [MARCUS, OTHER_PRIYA])
    # Marcus is new and free; the other Priya would clash with the name already shown.
    assert grown == {PRIYA: "Priya Raman", MARCUS: "Marcus Oyelaran"}
    assert extend_names({}, [PRIYA], NAMES, [PRIYA]) == {}  # already rendered without a name


def test_the_id_form_of_a_twin_stays_the_id_form_even_when_both_are_known():
    text = f"⟦@{id_form(PRIYA)}⟧ and ⟦@{id_form(OTHER_PRIYA)}⟧\n"
    settled = settle_mentions(text, {}, NAMES)
    assert settled.markdown == text and settled.users == {}
    # The id form of a known person with a name of their own is shown by name.
    named = settle_mentions(f"cc ⟦@{id_form(MARCUS)}⟧\n", {}, NAMES)
    assert named.markdown == "cc ⟦@Marcus Oyelaran⟧\n" and named.users == {
        MARCUS: "Marcus Oyelaran"
    }
