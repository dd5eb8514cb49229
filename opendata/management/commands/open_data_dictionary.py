from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from opendata.datasets.dictionary import BEGIN, END, dictionary_markdown


class Command(BaseCommand):
    help = "Print the open datasets' column dictionary as Markdown, or rewrite it in a document."

    def add_arguments(self, parser):
        parser.add_argument(
            "--write",
            type=Path,
            metavar="FILE",
            help="Replace the generated section of this Markdown file (e.g. docs/open-data.md).",
        )

    def handle(self, *args, write, **options):
        generated = dictionary_markdown()
        if write is None:
            self.stdout.write(generated, ending="")
            return
        text = write.read_text(encoding="utf-8")
        if BEGIN not in text or END not in text:
            raise CommandError(f"{write} has no generated column dictionary section to replace.")
        before, rest = text.split(BEGIN, 1)
        after = rest.split(END, 1)[1]
        write.write_text(before + generated.rstrip("\n") + after, encoding="utf-8")
        self.stdout.write(f"Column dictionary written to {write}.")
