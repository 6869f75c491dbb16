"""pipeline.script: Cyrillic found, counted and spelt in Latin letters by each language's table."""

import pytest

from pipeline.script import (
    CYRILLIC_WORD,
    cyrillic_share,
    has_cyrillic,
    sound_key,
    to_latin,
    transliterated,
    without_accents,
)


@pytest.mark.parametrize(
    "text, lang, expected",
    [
        ("Токаев", "bg", "Tokaev"),
        ("щерев", "bg", "shterev"),  # Bulgarian щ is "sht", Russian's "shh"
        ("щерев", "ru", "shherev"),
        ("щерев", "xx", "shherev"),  # a language without a table: Russian's
        ("Київ", "uk", "Kyjiv"),  # ISO 639-1 uk is cyrtranslit's "ua"
        ("Tokayev", "bg", "Tokayev"),  # nothing Cyrillic: unchanged
        ("", "bg", ""),
    ],
)
def test_to_latin_uses_the_language_table(text, lang, expected):
    assert to_latin(text, lang) == expected


@pytest.mark.parametrize(
    "text, cyrillic, share",
    [("Абу Даби", True, 1.0), ("Abu Даби", True, 4 / 7), ("Abu Dhabi", False, 0.0), ("2022 …", False, 0.0)],
)
def test_cyrillic_found_and_counted(text, cyrillic, share):
    assert has_cyrillic(text) is cyrillic
    assert cyrillic_share(text) == pytest.approx(share)


def test_cyrillic_words_keep_inner_hyphens_and_apostrophes():
    assert CYRILLIC_WORD.findall("в Абу-Даби и д’Артанян, Paris") == ["в", "Абу-Даби", "и", "д’Артанян"]


def test_without_accents():
    assert without_accents("Tokaïev à Almaty, Čapek") == "Tokaiev a Almaty, Capek"


@pytest.mark.parametrize(
    "spellings, key",
    [
        (("Gerrard", "Dzherard", "Džerard"), "srd"),  # English; romanised from Bulgarian; Serbo-Croatian
        (("Rangers", "Reyndzhărs", "Randžers"), "rnsrs"),  # cyrtranslit spells ъ as ă
        (("Kazakhstan", "Kazahstan"), "kstn"),
        (("Tokayev", "Tokajev", "Tokaev"), "tkv"),
        (("Michel", "Mishel", "Mišel"), "msl"),
        (("Almaty", "Almati"), "almt"),
        (("", ""), ""),
    ],
)
def test_sound_key_is_one_for_a_names_transliterations(spellings, key):
    assert {sound_key(spelling) for spelling in spellings} == {key}


@pytest.mark.parametrize("first, second", [("Gerrard", "Garrett"), ("Putin", "Paris"), ("Tokayev", "Tomsk")])
def test_sound_key_keeps_other_names_apart(first, second):
    assert sound_key(first) != sound_key(second)


@pytest.mark.parametrize(
    "word, expected",
    [("Джерард", True), ("Džerard", True), ("Gerrard", False), ("Tokaïev", False), ("", False)],
)
def test_transliterated_names_are_in_cyrillic_or_slavic_latin_letters(word, expected):
    assert transliterated(word) is expected
