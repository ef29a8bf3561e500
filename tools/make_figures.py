"""Redraw every illustration of the programme: runs each tools/figures/m*.py script.

    python tools/make_figures.py

The figures are committed as PNG; run this after changing a script.
"""

from __future__ import annotations

import runpy
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent / "figures"

if __name__ == "__main__":
    sys.path.insert(0, str(HERE))
    for script in sorted(HERE.glob("m*.py")):
        print(f"drawing {script.name}")
        runpy.run_path(str(script), run_name="__main__")
