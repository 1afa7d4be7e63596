"""README and CONTRIBUTING stay true: the example runs as shown, generated sections are current."""

from __future__ import annotations

import doctest
import re
import shutil

import pytest

from ilrs_pipeline.docs.readme import SECTIONS, main
from ilrs_pipeline.docs.sections import stale_sections
from ilrs_pipeline.errors import PipelineError


def test_python_example_prints_what_the_readme_shows(repo_root):
    readme = (repo_root / "README.md").read_text(encoding="utf-8")
    examples = re.findall(r"```python\n(.*?)```", readme, flags=re.DOTALL)
    assert examples, "README.md has no Python example"
    parser = doctest.DocTestParser()
    runner = doctest.DocTestRunner(optionflags=doctest.NORMALIZE_WHITESPACE)
    for number, example in enumerate(examples):
        runner.run(parser.get_doctest(example, {}, f"README example {number}", "README.md", 0))
    assert runner.failures == 0


def test_generated_sections_match_the_schemas_and_data(repo_root):
    assert stale_sections(repo_root, SECTIONS) == [], "run `nox -s docs` and commit the result"


@pytest.fixture
def docs_tree(small_package, repo_root):
    """The small package with the repository's README and CONTRIBUTING, made current."""
    for name in ("README.md", "CONTRIBUTING.md"):
        shutil.copy(repo_root / name, small_package / name)
    assert main(["--root", str(small_package)]) == 0
    return small_package


def test_a_new_enum_value_makes_the_tables_section_stale(docs_tree):
    """The README's table list is read from the schemas, so a schema edit shows up in it."""
    path = docs_tree / "schemas" / "partners.json"
    path.write_text(
        path.read_text(encoding="utf-8").replace('"association"', '"association", "consortium"'),
        encoding="utf-8",
    )
    assert [section.name for section in stale_sections(docs_tree, SECTIONS)] == ["tables"]
    assert main(["--root", str(docs_tree), "--check"]) == 1
    assert main(["--root", str(docs_tree)]) == 0
    assert "`consortium`" in (docs_tree / "README.md").read_text(encoding="utf-8")


def test_a_marker_put_to_use_makes_the_contributing_table_stale(docs_tree):
    path = docs_tree / "schemas" / "missions.json"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            '"name": "target",', '"name": "target", "x-ilrs": {"uniqueName": true},'
        ),
        encoding="utf-8",
    )
    assert "markers" in [section.name for section in stale_sections(docs_tree, SECTIONS)]


def test_a_file_without_the_markers_is_a_clear_error(docs_tree):
    (docs_tree / "CONTRIBUTING.md").write_text("# Contributing\n", encoding="utf-8")
    with pytest.raises(PipelineError, match=r"CONTRIBUTING\.md lacks the markers"):
        main(["--root", str(docs_tree), "--check"])
