import pytest

from pipeline.differences.gloss import Glosser, available

needs_apertium = pytest.mark.skipif(
    not available("bg", "en"), reason="Apertium's bg-mk and mk-en dictionaries"
)


@pytest.mark.parametrize(
    "source, target, expected",
    [("bg", "en", None), ("bg", "fr", False), ("de", "en", False), ("en", "en", False)],
)
def test_available(source, target, expected):
    assert available(source, target) is (available("bg", "en") if expected is None else expected)


@needs_apertium
@pytest.mark.slow
def test_bulgarian_words_through_macedonian_to_english():
    glossed = Glosser("bg").gloss(["стачки", "блокират", "Аблязов", "", "xyz"])
    assert glossed == {
        "стачки": frozenset({"strike"}),
        "блокират": frozenset({"block", "stall"}),
        "Аблязов": frozenset(),
        "": frozenset(),
        "xyz": frozenset(),
    }


@needs_apertium
@pytest.mark.slow
def test_words_are_looked_up_once():
    glosser = Glosser("bg")
    glosser.gloss(["стачки"])
    glosser._cache["стачки"] = frozenset({"cached"})
    assert glosser.gloss(["стачки"]) == {"стачки": frozenset({"cached"})}
