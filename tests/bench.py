"""Server time of the heaviest pages with many rows (`make bench`): median of N renders with Django's test Client.

It builds a throwaway SQLite database, loads the initial content, then asks each app to fill it and to name its
pages. An app takes part by adding `tests/<app>/bench_pages.py` with:

    def populate(rows: int) -> None      # create `rows` records (bulk_create keeps it fast)
    def pages() -> list[tuple[str, str]] # (label, URL) of the pages to time, once populated
    def staff_pages() -> list[...]       # optional: the same, for pages of the administration (a superuser's
                                         # session, logged in with force_login)

Usage: .venv/bin/python tests/bench.py [--rows 2000] [--runs 30] [--target-ms 50] [--strict]
"""

import argparse
import importlib
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main():
    parser = argparse.ArgumentParser(description="Temps serveur des pages les plus lourdes.")
    parser.add_argument("--rows", type=int, default=2000, help="Nombre d’enregistrements par application.")
    parser.add_argument("--runs", type=int, default=30, help="Nombre de mesures par page (médiane).")
    parser.add_argument("--target-ms", type=float, default=50.0, help="Objectif de temps serveur (ms).")
    parser.add_argument("--strict", action="store_true", help="Code de sortie 1 si une page dépasse l’objectif.")
    args = parser.parse_args()

    tmp = tempfile.mkdtemp(prefix="langres-bench-")
    sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.settings"
    os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
    os.environ.setdefault("DJANGO_LOG_LEVEL", "WARNING")

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    call_command("migrate", verbosity=0)
    call_command("load_initial_content", verbosity=0)

    modules = []
    for path in sorted((ROOT / "tests").glob("*/bench_pages.py")):
        module = importlib.import_module(f"tests.{path.parent.name}.bench_pages")
        started = time.perf_counter()
        module.populate(args.rows)
        print(f"{path.parent.name} : {args.rows} enregistrements créés en {time.perf_counter() - started:.1f} s")
        modules.append(module)

    from django.contrib.auth import get_user_model

    client, staff_client = Client(), Client()
    staff_client.force_login(get_user_model().objects.create_superuser("bench", "bench@example.org", None))
    results = []
    for module in modules:
        timed = [(label, url, client) for label, url in module.pages()]
        timed += [(label, url, staff_client) for label, url in getattr(module, "staff_pages", list)()]
        for label, url, browser in timed:
            for _ in range(3):  # warm up: template loading, caches
                response = browser.get(url)
            if response.status_code != 200:
                raise SystemExit(f"{url} a répondu {response.status_code}")
            reset_queries()  # each request resets the log when it starts: begin from an empty one
            with CaptureQueriesContext(connection) as queries:
                browser.get(url)
            n_queries = len(queries.captured_queries)  # read now: the next request clears the log
            timings = []
            for _ in range(args.runs):
                started = time.perf_counter()
                browser.get(url)
                timings.append((time.perf_counter() - started) * 1000)
            timings.sort()
            p90 = timings[min(len(timings) - 1, int(len(timings) * 0.9))]
            results.append((label, url, statistics.median(timings), p90, n_queries))

    width = max(len(r[0]) for r in results) if results else 10
    print(f"\nTemps serveur, {args.runs} mesures par page, {args.rows} enregistrements, SQLite :\n")
    print(f"{'page':<{width}}  {'médiane':>9}  {'p90':>9}  {'requêtes':>8}  objectif")
    over = 0
    for label, _url, median, p90, n_queries in results:
        ok = median < args.target_ms
        over += not ok
        verdict = "ok" if ok else f"AU-DESSUS de {args.target_ms:g} ms"
        print(f"{label:<{width}}  {median:7.1f} ms  {p90:6.1f} ms  {n_queries:>8}  {verdict}")
    if args.strict and over:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
