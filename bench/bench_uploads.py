"""Benchmark of the signature check against a decompression bomb (issue 11 #6).

Run from the project root: `.venv/bin/python bench/bench_uploads.py [--runs 5]`.

A 4000×4000 1-bit PNG is ~8 KB on the wire, but decoding it as RGBA (what measuring the ink
of a signature does) takes 64 MB per copy. Each case runs in a fresh child process, so the
child's peak resident memory is its own; time is the median over `--runs`. Side by side:

* `signature_bomb_checked`: `documents.integrity.check_signature`, which reads the pixel count
  from the PNG header and refuses before decoding;
* `signature_bomb_decoded`: the same image decoded and measured without that check (the path
  before the check existed);
* `signature_normal_checked`: an ordinary 600×200 signature, accepted.

Prints one JSON object per line; exits 1 if the bomb is not refused or costs more than the
target (0.1 s, 100 MB peak) through the check.
"""

from __future__ import annotations

import argparse
import base64
import io
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_SECONDS, TARGET_MB = 0.1, 100


def _png(width: int, height: int, mode: str) -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new(mode, (width, height), 1 if mode == "1" else (255, 255, 255, 0))
    ink = 0 if mode == "1" else (0, 0, 0, 255)
    ImageDraw.Draw(image).line([(10, 10), (width - 10, height - 10)], fill=ink, width=3)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def _uri(raw: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(raw).decode()


def child(case: str) -> None:
    """Run one case in this process and print its time, outcome and peak memory."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "weibao.settings")
    import django

    django.setup()
    from weibao.core.errors import DomainError
    from weibao.documents import integrity

    bomb = case.startswith("signature_bomb")
    raw = _png(4000, 4000, "1") if bomb else _png(600, 200, "RGBA")
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    outcome = "accepted"
    try:
        if case == "signature_bomb_decoded":
            from PIL import Image

            image = Image.open(io.BytesIO(raw))
            image.load()
            integrity._inked_pixels(image)
        else:
            integrity.check_signature(_uri(raw))
    except DomainError as refusal:
        outcome = f"refused:{refusal.code}"
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"seconds": seconds, "outcome": outcome, "bytes": len(raw),
                      "extra_rss_mb": round((peak - before) / 1024, 1)}))  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child)
        return 0
    status = 0
    cases = ["signature_bomb_checked", "signature_bomb_decoded", "signature_normal_checked"]
    for case in cases:
        runs = []
        for _ in range(args.runs):
            out = subprocess.run([sys.executable, __file__, "--child", case], check=True,
                                 capture_output=True, text=True).stdout  # fmt: skip
            runs.append(json.loads(out.strip().splitlines()[-1]))
        figure = {
            "bench": "uploads",
            "case": case,
            "outcome": runs[0]["outcome"],
            "png_bytes": runs[0]["bytes"],
            "median_seconds": round(statistics.median(r["seconds"] for r in runs), 4),
            "max_extra_rss_mb": max(r["extra_rss_mb"] for r in runs),
            "runs": args.runs,
        }
        if case == "signature_bomb_checked":
            figure["target"] = {"seconds": TARGET_SECONDS, "extra_rss_mb": TARGET_MB}
            if (not figure["outcome"].startswith("refused")
                    or figure["median_seconds"] > TARGET_SECONDS
                    or figure["max_extra_rss_mb"] > TARGET_MB):  # fmt: skip
                status = 1
        print(json.dumps(figure, ensure_ascii=False))
    return status


if __name__ == "__main__":
    sys.exit(main())
