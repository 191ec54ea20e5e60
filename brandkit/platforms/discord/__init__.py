"""Discord servers: ``adapter.py`` talks to the HTTP API (``ADAPTER``); ``emulator.py`` stands in
for it in the sandbox (``EMULATOR``); ``settings.py`` types the account's settings;
``platform.json`` and ``platforms.md`` are its data and its docs."""
