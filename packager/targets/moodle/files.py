"""Writing the files of a Moodle backup: files.xml and the ``files/`` folder of contents.

Write only: the files, their areas and their contents were planned (plan_files.py).
"""

from __future__ import annotations

from .plan import Plan
from .records import El, box, rec, render


def files_xml(plan: Plan) -> El:
    mtime = plan.mtime
    return box(
        "files",
        [
            rec(
                "file",
                {
                    "contenthash": f.sha1,
                    "contextid": f.area.context,
                    "component": f.area.component,
                    "filearea": f.area.filearea,
                    "itemid": f.area.itemid,
                    "filepath": f.filepath,
                    "filename": f.filename,
                    "userid": None,
                    "filesize": f.size,
                    "mimetype": f.mime,
                    "status": 0,
                    "timecreated": mtime,
                    "timemodified": mtime,
                    "source": f.filename,
                    "author": None,
                    "license": None,
                    "sortorder": 0,
                    "repositorytype": None,
                    "repositoryid": None,
                    "reference": None,
                },
                id=f.id,
            )
            for f in plan.files
        ],
    )


def files_file(plan: Plan) -> dict[str, bytes]:
    return {"files.xml": render(files_xml(plan))}


def blob_entries(plan: Plan) -> dict[str, bytes]:
    """The ``files/`` folder of the archive: each content once, by its SHA-1."""
    return {f"files/{b.sha1[:2]}/{b.sha1}": b.data for b in plan.blobs}
