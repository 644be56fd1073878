"""Run gunicorn as at a moment in the past, for make bench's load test (bench_load).

    python -m devdata.bench.serve 2025-03-31T12:00:00+01:00 [gunicorn arguments...]

The synthetic authority's records end on 31 March of its year; pages read "today" to choose
the current year, the lists' month end and what is overdue, so the server must see that day,
as a real authority's server sees its own today. time-machine moves the clock (ticking) in
this process before gunicorn starts, and the workers it forks inherit it.
"""

import sys
from datetime import datetime

import time_machine


def main() -> None:
    moment = datetime.fromisoformat(sys.argv[1])
    traveller = time_machine.travel(moment, tick=True)
    traveller.start()
    from gunicorn.app.wsgiapp import run

    sys.argv = ["gunicorn", *sys.argv[2:]]
    run()


if __name__ == "__main__":
    main()
