"""`weibao serve`: serve web and API with Waitress (a production WSGI server, pure Python).

Static files are served by WhiteNoise from the installed packages, so nothing is fetched
from the internet.
"""

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve Weibao's web pages and API (default http://127.0.0.1:8000)."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--threads", type=int, default=8)

    def handle(self, *args, host, port, threads, **options):
        from waitress import serve

        from weibao.wsgi import application

        self.stdout.write(self.style.SUCCESS(f"Weibao is serving on http://{host}:{port}/"))
        self.stdout.write("API: /api/  ·  OpenAPI docs: /api/docs/  ·  Admin: /admin/")
        self.stdout.write("Press Ctrl-C to stop.")
        serve(application, host=host, port=port, threads=threads, ident="weibao")
