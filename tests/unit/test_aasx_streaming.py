"""AASX packages are streamed from disk: memory does not grow with the package size."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

from tests.conftest import PEAK_RSS_KIB, ROOT


def test_large_package_is_not_loaded_into_memory(tmp_path: Path) -> None:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        from generate import write_aasx  # benchmarks/ is not a package
    finally:
        sys.path.pop(0)
    path = tmp_path / "big.aasx"
    write_aasx(path, 96)
    assert path.stat().st_size > 96 << 20
    code = textwrap.dedent(
        f"""
        from omp_validators import validate
        report = validate([{str(path)!r}])
        assert report.files[0].findings == (), report.files[0].findings
        print({PEAK_RSS_KIB})
        """
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    peak_mib = int(out.stdout.strip()) / 1024
    # Reading the package into memory would need more than its 96 MiB alone.
    assert peak_mib < 80, f"peak RSS {peak_mib:.0f} MiB"
