"""`python -m ilrs_pipeline` is the `ilrs` command."""

import sys

from ilrs_pipeline.cli import main

sys.exit(main())
