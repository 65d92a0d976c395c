import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from core import bench


class Command(BaseCommand):
    help = (
        "Runs a registered benchmark: bench NAME [--key value ...] [--json]. "
        "Options after NAME go to the benchmark (e.g. --requests 500)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name", nargs="?", help="benchmark to run")
        parser.add_argument(
            "--json", action="store_true", help="print one JSON object with the figures"
        )

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any):
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        # Each benchmark has its own options, unknown here: keep what argparse does
        # not recognise (parse_known_args) and hand it to the benchmark.
        strict_parse_known_args = parser.parse_known_args

        def parse_known_args(args=None, namespace=None):
            namespace, extra = strict_parse_known_args(args, namespace)
            namespace.benchmark_args = extra
            return namespace, []

        parser.parse_known_args = parse_known_args
        return parser

    def handle(self, *args: Any, **options: Any) -> None:
        bench.autodiscover()
        name = options["name"]
        known = ", ".join(bench.benchmark_names()) or "none"
        if not name:
            raise CommandError(f"Name a benchmark. Known benchmarks: {known}")
        try:
            benchmark = bench.benchmark_get(name)
        except KeyError:
            raise CommandError(
                f"Unknown benchmark {name!r}. Known benchmarks: {known}"
            ) from None
        try:
            benchmark_options = bench.options_parse(options.get("benchmark_args", []))
            figures = benchmark(benchmark_options)
        except (ValueError, bench.BenchmarkError) as exc:
            raise CommandError(f"{name}: {exc}") from exc
        result = {"benchmark": name, **figures}
        if options["json"]:
            self.stdout.write(json.dumps(result, default=str))
        else:
            width = max(len(key) for key in result)
            for key, value in result.items():
                self.stdout.write(f"{key:<{width}}  {value}")
