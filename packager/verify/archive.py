"""Reading an archive to check it: every file of a ZIP or tar.gz, within a size limit."""

from __future__ import annotations

import io
import tarfile
import zipfile

from ..messages import tr

MAX_UNPACKED = 4 << 30  # an archive that unpacks to more than this is refused (4 GiB)


def read_archive(data: bytes, most: int = MAX_UNPACKED) -> dict[str, bytes]:
    """Every file of a ZIP or tar.gz, refusing one that unpacks to more than ``most`` bytes."""
    files: dict[str, bytes] = {}
    if data[:2] == b"\x1f\x8b":
        with tarfile.open(fileobj=io.BytesIO(data)) as tar:
            members = [m for m in tar.getmembers() if m.isfile()]
            _limit(sum(m.size for m in members), most)
            for m in members:
                fh = tar.extractfile(m)
                if fh is not None:
                    files[m.name] = fh.read()
        return files
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        infos = [i for i in zf.infolist() if not i.is_dir()]
        _limit(sum(i.file_size for i in infos), most)
        for info in infos:
            files[info.filename] = zf.read(info)
    return files


def _limit(total: int, most: int) -> None:
    if total > most:
        raise ValueError(
            tr("it would unpack to {size} bytes (limit {most})", size=total, most=most)
        )
