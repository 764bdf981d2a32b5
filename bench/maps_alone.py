"""The maps figures alone, on whatever database the settings name (SQLite is fine): see
bench.maps_bench."""

import sys

from bench.run import setup_django


def main() -> int:
    setup_django()
    from bench.maps_bench import run_alone

    return run_alone()


if __name__ == "__main__":
    sys.exit(main())
