"""What tests share that is not a fixture: where things are, hand-made alignments, a fake batch Runner."""

from pathlib import Path

TESTS = Path(__file__).resolve().parent.parent
REPO = TESTS.parent
SHARED = REPO.parent / "shared"
SEEDS = SHARED / "seeds"
FIXTURES = TESTS / "fixtures"
EXAMPLE = FIXTURES / "example"
TEST_PACKAGE = FIXTURES / "translate-bg_en-copy.argosmodel"
SEED_SOURCE = SEEDS / "001_44a840e50541c4ec.txt"  # BTA, Bulgarian
SEED_TARGET = SEEDS / "000_4edc5930ec3dca38.txt"  # AFP, English
OMEGAT_JAR = Path("/usr/share/omegat/OmegaT.jar")
