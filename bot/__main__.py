"""`python -m bot` runs the command line."""

from bot.frontends.cli import main

raise SystemExit(main())
