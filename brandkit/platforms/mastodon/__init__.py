"""Mastodon: ``adapter.py`` talks to the platform (``ADAPTER``); ``emulator.py``
stands in for it in the sandbox (``EMULATOR``). Its data (text fields, limits, images) is in
schemas/platforms.json; it is registered in brandkit/platforms/registry.py."""
