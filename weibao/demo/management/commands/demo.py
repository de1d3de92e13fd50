"""`weibao demo`: load the demo data (idempotent) and print the demo logins."""

from django.core.management.base import BaseCommand

from weibao.demo.build import load_demo


class Command(BaseCommand):
    help = "Load the demo data (a second run keeps existing data) and print the demo logins."

    def handle(self, *args, **options):
        logins = load_demo()
        self.stdout.write(self.style.SUCCESS("Demo data ready. Demo logins (演示账号):"))
        width = max(len(login.username) for login in logins)
        for login in logins:
            name = f"{login.username:<{width}}"
            self.stdout.write(f"  {name}  {login.password}  {login.role} · {login.organisation}")
