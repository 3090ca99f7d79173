"""Walk the demo as one person: every page reachable by links from the home page, and a
check that each table's rows have as many cells as its header."""

from html.parser import HTMLParser
from urllib.parse import urldefrag, urlsplit

# Links a crawl must not follow: they change state on GET (only opening a notification,
# which marks it read and redirects), end the session, or stream files checked elsewhere.
SKIP_PREFIXES = ("/keluar/", "/admin/", "/static/", "/media/", "/i18n/")
SKIP_PARTS = ("/unduh", "/berkas/", "/xlsx", "/docx", "/pdf", "/zip", "/ekspor", "/buka/")


class _Page(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links = []
        self.problems = []
        self._tables = []  # stack of {header, section, row, line, carry}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href") and "download" not in attrs:
            self.links.append(attrs["href"])
        if tag == "table":
            self._tables.append(
                {"header": None, "section": "", "row": None, "line": self.getpos()[0], "carry": []}
            )
            return
        if not self._tables:
            return
        table = self._tables[-1]
        if tag in ("thead", "tbody", "tfoot"):
            table["section"], table["carry"] = tag, []
        elif tag == "tr":
            # Cells of earlier rows that span into this one (rowspan) count in it too.
            table["row"] = sum(width for _rows, width in table["carry"])
            table["carry"] = [[rows - 1, width] for rows, width in table["carry"] if rows > 1]
        elif tag in ("td", "th") and table["row"] is not None:
            width = int(attrs.get("colspan") or 1)
            table["row"] += width
            if int(attrs.get("rowspan") or 1) > 1:
                table["carry"].append([int(attrs["rowspan"]) - 1, width])

    def handle_endtag(self, tag):
        if not self._tables:
            return
        table = self._tables[-1]
        if tag == "table":
            self._tables.pop()
        elif tag == "tr" and table["row"] is not None:
            cells, table["row"] = table["row"], None
            if table["section"] == "thead":
                table["header"] = max(cells, table["header"] or 0)
            elif table["header"] is not None and cells != table["header"]:
                self.problems.append(
                    f"table at line {table['line']}: {table['header']} header cells, "
                    f"a row with {cells} (line {self.getpos()[0]})"
                )


def read_page(html):
    """(links, table problems) of one HTML page."""
    parser = _Page()
    parser.feed(html)
    return parser.links, parser.problems


def crawl(client, start="/", limit=400):
    """GET every internal page reachable from `start`: {path: response}. Pages answered
    with a redirect or an error are kept too (the caller decides what is wrong)."""
    seen, queue, pages = {start}, [start], {}
    while queue and len(pages) < limit:
        path = queue.pop(0)
        response = client.get(path)
        pages[path] = response
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        links, _problems = read_page(response.content.decode())
        for href in links:
            href = urldefrag(href)[0]
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or not parts.path.startswith("/"):
                continue
            if href.startswith(SKIP_PREFIXES) or any(p in parts.path for p in SKIP_PARTS):
                continue
            if href not in seen:
                seen.add(href)
                queue.append(href)
    return pages
