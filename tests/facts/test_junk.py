"""pipeline.facts.junk: lines that carry no claim, and sentences that merely look like them."""

from __future__ import annotations

import pytest

from pipeline.facts.junk import no_claim


@pytest.mark.parametrize(
    "line, why",
    [
        ("read more", "a link or button"),
        ("Leave a Comment", "a link or button"),
        ("Share on Facebook", "a link or button"),
        ("Sign up now for FREE unlimited access to Reuters.com", "a link or button"),
        ("REUTERS / Pavel Mikheyev", "a photo credit"),
        ("(AP Photo/Evan Vucci)", "a photo credit"),
        ("Photo: AFP", "a photo credit"),
        ("Report by Guy Faulconbridge; Edited by Alex Richardson", "a byline"),
        ("By Jane Doe", "a byline"),
        ("БТА", "a byline"),
        ("”", "no words"),
        ("“.", "no words"),
        ("18 Jan, 2022 07:36", "a date alone"),
        ("January 7, 2022 (January 7, 2022 change | 18:43)", "a date alone"),
        ("Read more about the protests in Almaty, where dozens died.", None),
        ("Tokayev/Nazarbayev", None),
        ("China will stand by – says Ablyazov", None),
        ("Nazarbayev in Abu Dhabi?", None),
        ("By Monday, the protests had spread to Almaty.", None),
        ("The photo shows a burned car.", None),
    ],
)
def test_no_claim(line: str, why: str | None) -> None:
    assert no_claim(line) == why
