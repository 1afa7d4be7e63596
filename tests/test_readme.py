"""The README stays true: its Python example runs as shown and its coverage section is current."""

from __future__ import annotations

import doctest
import re

from ilrs_pipeline.docs.readme import coverage_section, with_section


def test_python_example_prints_what_the_readme_shows(repo_root):
    readme = (repo_root / "README.md").read_text(encoding="utf-8")
    examples = re.findall(r"```python\n(.*?)```", readme, flags=re.DOTALL)
    assert examples, "README.md has no Python example"
    parser = doctest.DocTestParser()
    runner = doctest.DocTestRunner(optionflags=doctest.NORMALIZE_WHITESPACE)
    for number, example in enumerate(examples):
        runner.run(parser.get_doctest(example, {}, f"README example {number}", "README.md", 0))
    assert runner.failures == 0


def test_coverage_section_is_generated_from_the_current_data(repo_root):
    readme = (repo_root / "README.md").read_text(encoding="utf-8")
    assert with_section(readme, coverage_section(repo_root)) == readme, "run `nox -s docs`"
