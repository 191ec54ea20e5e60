"""LinkedIn Pages (checked, never written): ``adapter.py`` reads the organization
(``ADAPTER``); ``emulator.py`` stands in for the API in the sandbox (``EMULATOR``);
``settings.py`` types the account's settings; ``platform.json`` and ``platforms.md`` are its
data and its docs."""
