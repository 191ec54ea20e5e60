"""YouTube channels: ``adapter.py`` talks to the Data API v3 (``ADAPTER``); ``emulator.py`` stands
in for it and for Google's OAuth token endpoint in the sandbox (``EMULATOR``); ``settings.py``
types the account's settings; ``platform.json`` and ``platforms.md`` are its data and docs."""
