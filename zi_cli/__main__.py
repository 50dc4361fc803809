"""`python -m zi_cli`: the `zi` command."""

from zi_cli import main

main()
