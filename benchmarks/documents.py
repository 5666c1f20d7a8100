"""Time the documents on the demo visit: certificate, batch of certificates, programme, brief.

    .venv/bin/python benchmarks/documents.py [--repeat N] [--home DIR]

Without --home a throwaway database is made in a temporary directory (migrate + load_demo,
about 15 s, not timed). Each document is generated N times (default 10) after one warm-up
run; the median, minimum and maximum wall-clock times are printed as a Markdown table.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
from io import StringIO
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=10, help="timed runs per document")
    parser.add_argument("--home", help="CIVICBRIDGE_HOME to use (default: a temporary one)")
    args = parser.parse_args()

    home = args.home or tempfile.mkdtemp(prefix="civicbridge-bench-")
    os.environ["CIVICBRIDGE_HOME"] = home
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civicbridge.settings")
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("load_demo", stdout=StringIO())

    from civicbridge.documents import brief, certificates, programme
    from civicbridge.exchanges.models import Exchange
    from civicbridge.pairings.models import Appointment

    exchange = Exchange.objects.get(title__contains="2016年4月22日")
    datun = Appointment.objects.get(exchange=exchange, person_place__name="大屯里")
    yanqing = exchange.groups.get(host_place__name="延庆区")
    all_appointments = list(certificates.appointments_for(exchange=exchange))

    cases = {
        "certificate (one, 繁體, PDF)": lambda: certificates.certificate_pdf(datun, "hant"),
        f"certificates batch ({len(all_appointments)}, PDF)": lambda: certificates.batch_pdf(
            all_appointments
        ),
        "programme, Yanqing group (PDF)": lambda: programme.programme_pdf(
            exchange, "hans", group=yanqing, show_contacts=True
        ),
        "programme, whole exchange (PDF)": lambda: programme.programme_pdf(exchange, "hans"),
        "programme, whole exchange (HTML)": lambda: programme.programme_html(exchange, "hans"),
        "news brief (简体)": lambda: brief.build_brief(exchange, "hans"),
        "news brief (繁體)": lambda: brief.build_brief(exchange, "hant"),
    }
    print(
        f"Machine: {platform.platform()}, Python {platform.python_version()}, "
        f"{os.cpu_count()} CPUs ({platform.processor() or platform.machine()})"
    )
    print(f"Date: {time.strftime('%Y-%m-%d %H:%M %Z')}; repeat {args.repeat}\n")
    print("| document | median ms | min ms | max ms | output size |")
    print("|---|---:|---:|---:|---:|")
    for name, run in cases.items():
        output = run()  # warm-up: fonts, templates, OpenCC dictionaries
        times = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            run()
            times.append((time.perf_counter() - start) * 1000)
        size = len(output.encode() if isinstance(output, str) else output)
        print(
            f"| {name} | {statistics.median(times):.0f} | {min(times):.0f} | "
            f"{max(times):.0f} | {size / 1024:.0f} KB |"
        )


if __name__ == "__main__":
    main()
