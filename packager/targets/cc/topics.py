"""Forums as CC 1.1 discussion topics (imsdt): the forum's title and its prompt. Moodle's
importer makes each topic a forum whose description is the prompt; Canvas makes a discussion.

Images and linked files are paths relative to the topic file, after ``$IMS-CC-FILEBASE$`` (as
in QTI); the files are listed in a webcontent resource the topic depends on.
"""

from __future__ import annotations

from lxml import etree

from ...model import Course, Forum
from ...names import xml_text
from .layout import Layout
from .pages import descriptor_html

DT = "http://www.imsglobal.org/xsd/imsccv1p1/imsdt_v1p1"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
DT_XSD = "http://www.imsglobal.org/profile/cc/ccv1p1/ccv1p1_imsdt_v1p1.xsd"


def topic(course: Course, forum: Forum, lay: Layout) -> tuple[bytes, list[str]]:
    """The topic file and the ids of the media its prompt uses, in order of first use."""
    used: dict[str, None] = {}
    root = etree.Element(f"{{{DT}}}topic", nsmap={None: DT, "xsi": XSI})
    root.set(f"{{{XSI}}}schemaLocation", f"{DT} {DT_XSD}")
    etree.SubElement(root, f"{{{DT}}}title").text = xml_text(" ".join(forum.title.split()))
    text = etree.SubElement(root, f"{{{DT}}}text", texttype="text/html")
    text.text = xml_text(descriptor_html(course, lay, lay.topics[forum.id], forum.html, used))
    body = etree.tostring(root, encoding="UTF-8", pretty_print=True)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + body, list(used)
