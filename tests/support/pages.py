"""The app's pages read back as data, the way a person reads them."""

import html
import re


def matrix(body: str) -> dict:
    """unit name → [(cell class, ratio)] as the dashboard shows them, in task-number order
    (the page puts the scored tasks first)."""
    rows = {}
    row_re = r'<tr><th scope="row"><a [^>]*>([^<]+)</a></th>(.*?)</tr>'
    for name, cells in re.findall(row_re, body, re.S):
        found = re.findall(r'<td class="([\w-]+)" data-task="(\d+)">(.*?)</td>', cells, re.S)
        rows[html.unescape(name)] = [
            (cls, (re.findall(r'<span class="ratio">([^<]*)</span>', td) or [None])[0])
            for cls, _number, td in sorted(found, key=lambda f: int(f[1]))
        ]
    return rows
