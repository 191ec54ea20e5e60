"""A week on the sandbox, as a scheduled job leaves it, then the report (for the browser test):
``python tests/audience/make_report.py FOLDER`` prints the report's path."""

import datetime as dt
import pathlib
import shutil
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2]))
import brandkit
from brandkit.audience.history import History
from brandkit.audience.render_report import report_html
from tests.sync.conftest import make_world


def _ago(days: int) -> str:
    """The UTC date ``days`` ago: the history's days follow the machine's clock."""
    return str(dt.datetime.now(dt.UTC).date() - dt.timedelta(days=days))


tmp = pathlib.Path(sys.argv[1])
shutil.rmtree(tmp, ignore_errors=True)
tmp.mkdir()
for w in make_world(tmp, {"northwind-x", "northwind-fb", "northwind-news"}):
    h = w.spec.parent / ".brandkit" / "history.sqlite"
    brandkit.apply(w.brand, w.options)
    with History(h) as store:
        for back in range(7, 0, -1):
            w.sandbox.advance(-back)
            found = brandkit.stats(w.brand, w.options, history=h)
            w.sandbox.advance(back)
            for a in found.accounts:
                store.add_snapshot(
                    a.brand,
                    a.platform,
                    a.account,
                    a.audience,
                    a.metrics,
                    at=f"{_ago(back)}T09:00:00",
                )
    w.processed()
    w.api().update_profile(description="Cheap coffee, whatever")
    brandkit.watch(w.brand, w.options)
    (r,) = brandkit.report(w.brand, w.options, history=h)
    (tmp / "report.html").write_text(report_html(r))
    print(tmp / "report.html")
