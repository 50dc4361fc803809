"""Configuration and wiring shared by every front end (the bot, the console, the `zi` command line).

The layers: `knowledge` and `zi_core` at the bottom (neither imports the other), `zi_app` above them (the one
`Settings` and the one factory that builds the services with one set of limits), the front ends `bot` and `zi_cli` on
top. `tests/test_layers.py` checks that imports only point down.
"""
