"""The ilrs-data pipeline: validate the data package, build releases, docs and the site.

Installed with `pip install "ilrs-data[pipeline]"` and run as one command, `ilrs`, whose
subcommands are the stages (`ilrs --help` lists them). Each stage is a subpackage:

- `model`: the typed package model (tables, fields, keys, x-ilrs markers, partial dates);
- `validate`: one module per family of checks, each declaring the rule ids it reports;
- `changes`: the one row-and-schema comparison behind `ilrs diff` and `ilrs release-check`;
- `release`: the build, its exports, release notes and the release check;
- `render`: words, SVG, charts and the timeline shared by the docs and the site;
- `docs`, `site`, `bench`: the generated documentation, the dataset site and benchmarks.

It reads the data only through the public API of `ilrs_data`.
"""
