"""Official XSD sets loaded from local files only: nothing is ever fetched."""

from __future__ import annotations

import re
from pathlib import Path

from lxml import etree

from ..messages import tr

_XML_XSD = re.compile(r"^https?://www\.w3\.org/(2001/)?(03/)?xml\.xsd$")


class LocalSchemas(etree.Resolver):
    """Answers schema imports from local files: the W3C ``xml.xsd`` (and ADL's ``ims_xml.xsd``)
    from ``xml_xsd``; with ``folder``, any file by its name in that folder. Refuses every other
    remote schema."""

    def __init__(self, xml_xsd: Path | None = None, folder: Path | None = None) -> None:
        super().__init__()
        self.xml_xsd = xml_xsd
        self.folder = folder

    def resolve(self, url, pubid, context):
        if not url:
            return None
        is_xml = _XML_XSD.match(url) or url.endswith("/ims_xml.xsd") or url == "ims_xml.xsd"
        if self.xml_xsd is not None and is_xml:
            return self.resolve_filename(str(self.xml_xsd), context)
        if self.folder is not None and (self.folder / url.rsplit("/", 1)[-1]).is_file():
            return self.resolve_filename(str(self.folder / url.rsplit("/", 1)[-1]), context)
        if url.startswith(("http://", "https://")):
            raise etree.XMLSchemaParseError(tr("refusing to fetch {url}", url=url))
        return None


def offline_parser(resolver: LocalSchemas) -> etree.XMLParser:
    parser = etree.XMLParser(no_network=True)
    parser.resolvers.add(resolver)
    return parser
